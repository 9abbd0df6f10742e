using System.Globalization;

namespace NeuralSharp.Data;

/// <summary>
/// Reads a data set from CSV: a header row, numeric feature columns, and one target column chosen by name (default
/// <c>target</c>, else the last column). Cells are separated by commas, or — when the header has no comma — by tabs or
/// semicolons. A text target becomes class labels named by their text (in sorted order); a numeric target is taken for
/// classes when its values are the class indices 0, 1, …, k − 1 with k ≤ 20 (every one of them present), else for a
/// regression target — <see cref="CsvOptions.Task"/> overrides the guess. Classes are counted from the labels present (at most
/// <see cref="Dataset.MaxClasses"/>), never from the largest label: labels 0, 5 and 7 are three classes named so.
/// </summary>
/// <remarks>
/// Errors name the file, line and column: a bad number, a ragged row, an empty file, an unknown target column.
/// </remarks>
public static class CsvReader
{
    /// <summary>Reads a CSV file.</summary>
    /// <exception cref="DataFormatException">The file is malformed; the message says where.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No CSV file at '{path}'.", path);
        }

        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path), options);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static Dataset Read(TextReader reader, string source, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        string? headerLine = reader.ReadLine();
        while (headerLine is not null && headerLine.Trim().Length == 0)
        {
            headerLine = reader.ReadLine();
        }

        if (headerLine is null)
        {
            throw new DataFormatException($"{source}: the file is empty; a CSV needs a header row and at least one data row.");
        }

        char separator = headerLine.Contains(',', StringComparison.Ordinal) ? ','
            : headerLine.Contains('\t', StringComparison.Ordinal) ? '\t'
            : headerLine.Contains(';', StringComparison.Ordinal) ? ';' : ',';
        string[] header = [.. Split(headerLine, separator).Select(cell => cell.Trim())];
        int target = TargetColumn(header, options.TargetColumn, source);
        if (header.Length < 2)
        {
            throw new DataFormatException(
                $"{source}: the header {Quote(headerLine)} names no feature columns besides the target (cells are separated by commas, tabs or semicolons).");
        }

        var features = new List<double>();
        var targetText = new List<string>();
        var targetLines = new List<int>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string[] cells = Split(line, separator);
            if (cells.Length != header.Length)
            {
                throw new DataFormatException(
                    $"{source}, line {lineNumber}: {cells.Length} cells, but the header has {header.Length} columns.");
            }

            for (int column = 0; column < cells.Length; column++)
            {
                if (column == target)
                {
                    targetText.Add(cells[column].Trim());
                    targetLines.Add(lineNumber);
                }
                else
                {
                    features.Add(ParseNumber(cells[column], source, lineNumber, column, header[column]));
                }
            }
        }

        if (targetText.Count == 0)
        {
            throw new DataFormatException($"{source}: the header is there but no data rows follow.");
        }

        string[] featureNames = [.. header.Where((_, column) => column != target)];
        (double[] targets, string[]? classNames) = Targets(targetText, targetLines, options, source, header[target], target);
        return new Dataset(options.Name ?? Path.GetFileNameWithoutExtension(source), [.. features], featureNames, targets,
            options.ClassNames ?? classNames, header[target]);
    }

    private static int TargetColumn(string[] header, string? name, string source)
    {
        if (name is null)
        {
            int index = Array.IndexOf(header, "target");
            return index >= 0 ? index : header.Length - 1;
        }

        int found = Array.FindIndex(header, column => string.Equals(column, name, StringComparison.OrdinalIgnoreCase));
        return found >= 0
            ? found
            : throw new DataFormatException($"{source}: there is no column '{name}' for the target. Columns: {string.Join(", ", header)}.");
    }

    private static (double[] Targets, string[]? ClassNames) Targets(
        List<string> text, List<int> lines, CsvOptions options, string source, string targetName, int targetColumn)
    {
        bool numeric = text.All(cell => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (!numeric)
        {
            if (options.Task == TaskKind.Regression)
            {
                int bad = text.FindIndex(cell => !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                throw new DataFormatException(
                    $"{source}, line {lines[bad]}, column {targetColumn + 1} ({targetName}): {Quote(text[bad])} is not a number, but the task is regression.");
            }

            string[] names = [.. text.Distinct().Order(StringComparer.Ordinal)];
            RequireFewClasses(names.Length, source, targetName);
            Dictionary<string, double> index = Ranks(names);
            return ([.. text.Select(cell => index[cell])], names);
        }

        double[] values = [.. text.Select((cell, row) => ParseNumber(cell, source, lines[row], targetColumn, targetName))];
        bool wholeNumbers = values.All(v => v >= 0 && v == Math.Floor(v));
        int distinct = values.Distinct().Count();
        bool classes = options.Task switch
        {
            TaskKind.Regression => false,
            // class indices look like 0, 1, …, k − 1, all present: a regression target of few whole numbers (20
            // weights in kilograms) does not, and is not taken for one class per value
            null => wholeNumbers && distinct <= 20 && values.Max() == distinct - 1 && distinct < values.Length,
            _ => true,
        };
        if (!classes)
        {
            return (values, null);
        }

        if (!wholeNumbers)
        {
            throw new DataFormatException($"{source}: the target '{targetName}' holds numbers that are not class indices 0, 1, 2, ….");
        }

        // the labels present are the classes, in numeric order: 0…k−1 stay as they are, gaps are closed up
        double[] present = [.. values.Distinct().Order()];
        RequireFewClasses(present.Length, source, targetName);
        if (present.Length == 1)
        {
            // one label alone is still a two-class problem (the other class simply has no samples here)
            present = present[0] == 0 ? [0, 1] : [0, present[0]];
        }

        Dictionary<double, double> rank = Ranks(present);
        return ([.. values.Select(v => rank[v])], [.. present.Select(label => label.ToString("R", CultureInfo.InvariantCulture))]);
    }

    /// <summary>Each label's class index: its place among the sorted labels.</summary>
    private static Dictionary<TLabel, double> Ranks<TLabel>(TLabel[] sorted)
        where TLabel : notnull
    {
        var ranks = new Dictionary<TLabel, double>(sorted.Length);
        for (int i = 0; i < sorted.Length; i++)
        {
            ranks[sorted[i]] = i;
        }

        return ranks;
    }

    private static void RequireFewClasses(int count, string source, string targetName)
    {
        if (count > Dataset.MaxClasses)
        {
            throw new DataFormatException(
                $"{source}: the target '{targetName}' has {count:N0} different labels; a classifier takes at most {Dataset.MaxClasses:N0} classes (for a numeric target, use the regression task).");
        }
    }

    /// <summary>A cell as an error message quotes it: at most 40 characters of it.</summary>
    internal static string Quote(string text) => text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…' ({text.Length:N0} characters)";

    private static double ParseNumber(string cell, string source, int line, int column, string name)
    {
        string text = cell.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }

        string problem = text.Length == 0 ? "the cell is empty" : double.IsFinite(value) ? $"{Quote(text)} is not a number" : $"{Quote(text)} is not a finite number";
        throw new DataFormatException($"{source}, line {line}, column {column + 1} ({name}): {problem}.");
    }

    private static string[] Split(string line, char separator)
    {
        string[] cells = line.TrimEnd('\r').Split(separator);
        for (int i = 0; i < cells.Length; i++)
        {
            string cell = cells[i].Trim();
            if (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"')
            {
                cells[i] = cell[1..^1];
            }
        }

        return cells;
    }
}

/// <summary>How <see cref="CsvReader"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The target column's name (case-insensitive); null for <c>target</c> or else the last column.</summary>
    public string? TargetColumn { get; init; }

    /// <summary>Force regression or classification instead of guessing from the target's values.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>Names for the classes 0, 1, 2 … of a numeric class target.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The data set's name; defaults to the file name without extension.</summary>
    public string? Name { get; init; }
}
