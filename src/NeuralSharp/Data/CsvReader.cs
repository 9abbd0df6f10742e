using System.Globalization;
using nietras.SeparatedValues;

namespace NeuralSharp.Data;

/// <summary>
/// Reads a data set from CSV: a header row, numeric feature columns, and one target column chosen by name (default
/// <c>target</c>, else the last column). Parsing is RFC 4180 by Sep (quoted cells such as <c>"size, cm"</c>, doubled
/// quotes); the separator is <see cref="CsvOptions.Delimiter"/>, or — when that is null — whichever of comma, tab and
/// semicolon the header uses most outside quotes. A text target becomes class labels named by their text (in sorted
/// order); a numeric target is taken for classes when its values are the class indices 0, 1, …, k − 1 with k ≤ 20 (every
/// one of them present), else for a regression target — <see cref="CsvOptions.Task"/> overrides the guess. Classes are
/// counted from the labels present (at most <see cref="Dataset.MaxClasses"/>), never from the largest label: labels 0, 5
/// and 7 are three classes named so.
/// </summary>
/// <remarks>Errors name the file, line and column: a bad number, a missing value, a ragged row, an unclosed quote, an empty file, an unknown target column.</remarks>
public static class CsvReader
{
    /// <summary>The separators detected from a header, in order of preference when the header uses several equally.</summary>
    public static IReadOnlyList<char> DetectedDelimiters { get; } = [',', '\t', ';'];

    /// <summary>Reads a CSV file.</summary>
    /// <exception cref="DataFormatException">The file is malformed; the message says where.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        RequireFile(path);
        options ??= new CsvOptions();
        char delimiter = options.Delimiter ?? Detect(FirstLineOf(path));
        if (!options.WithoutTarget && options.Columns is null && options.Encoding is null && CsvNumbers.TryRead(path, delimiter, options) is { } numbers)
        {
            return numbers;
        }

        using SepReader sep = ReaderOptions(delimiter).FromFile(path);
        return Read(sep, Path.GetFileName(path), options);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static Dataset Read(TextReader reader, string source, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        string text = reader.ReadToEnd();
        char delimiter = options.Delimiter ?? Detect(FirstLine(text));
        using SepReader sep = ReaderOptions(delimiter).FromText(text);
        return Read(sep, source, options);
    }

    /// <summary>The column names of a CSV file's header (its first non-blank row).</summary>
    public static IReadOnlyList<string> ReadHeader(string path, char? delimiter = null)
    {
        RequireFile(path);
        string? first = FirstLineOf(path);
        using SepReader sep = ReaderOptions(delimiter ?? Detect(first)).FromText(first ?? "");
        return sep.MoveNext() ? [.. Cells(sep.Current)] : [];
    }

    private static void RequireFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No CSV file at '{path}'.", path);
        }
    }

    private static SepReaderOptions ReaderOptions(char delimiter) => Sep.Reader(o => o with
    {
        Sep = new Sep(delimiter),
        // the header is read by hand: blank lines before it are skipped and its names checked with our messages
        HasHeader = false,
        Unescape = true,
        Trim = SepTrim.All,
        // a ragged row gets the message below, with both counts
        DisableColCountCheck = true,
        CultureInfo = CultureInfo.InvariantCulture,
    });

    /// <summary>The separator of a CSV file: the one its header uses most often outside quotes (a comma when none).</summary>
    public static char DelimiterOf(string path) => Detect(FirstLineOf(path));

    /// <summary>A file's first non-blank line (its header).</summary>
    private static string? FirstLineOf(string path) => File.ReadLines(path).FirstOrDefault(line => line.Trim().Length > 0);

    private static string? FirstLine(string text)
    {
        foreach (ReadOnlySpan<char> line in text.AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                return line.ToString();
            }
        }

        return null;
    }

    /// <summary>The separator a header uses most often outside quotes; a comma when it uses none.</summary>
    internal static char Detect(string? header)
    {
        Span<int> counts = stackalloc int[DetectedDelimiters.Count];
        bool quoted = false;
        foreach (char c in header ?? "")
        {
            quoted ^= c == '"';
            int index = quoted ? -1 : ((IList<char>)DetectedDelimiters).IndexOf(c);
            if (index >= 0)
            {
                counts[index]++;
            }
        }

        int best = 0;
        for (int i = 1; i < counts.Length; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }

        return DetectedDelimiters[best];
    }

    internal static string[] Cells(SepReader.Row row)
    {
        var cells = new string[row.ColCount];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].Span.ToString();
        }

        return cells;
    }

    private static Dataset Read(SepReader sep, string source, CsvOptions options)
    {
        string[]? header = null;
        int[]? slot = null;
        int target = -1;
        var features = new List<double>();
        var targetText = new List<string>();
        var targetLines = new List<int>();
        CsvColumns? cells = null;
        // the columns read by name (the options', or a model's encoding's), once
        IReadOnlyList<string>? wanted = options.Wanted;
        foreach (SepReader.Row row in sep)
        {
            // Sep numbers a file's first row from line 2; every later row from the line it starts on
            int line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.IsWhiteSpace())
            {
                continue;
            }

            if (header is null)
            {
                header = Cells(row);
                target = options.WithoutTarget ? -1 : TargetColumn(header, options.TargetColumn, source);
                RequireHeader(header, row.Span.ToString(), source, options.WithoutTarget);
                slot = wanted is not null ? options.Slots(header, target, source) : null;
                cells = new CsvColumns(options, source, slot is null ? [.. header.Where((_, column) => column != target)] : [.. wanted!]);
                continue;
            }

            RequireOneLine(row, line, header, source);
            if (row.ColCount != header.Length)
            {
                throw new DataFormatException(
                    $"{source}, line {line}: {Count(row.ColCount, "cell")}, but the header has {Count(header.Length, "column")}.");
            }

            int first = features.Count;
            for (int k = 0; k < (slot is null ? 0 : wanted!.Count); k++)
            {
                features.Add(0);
            }

            for (int column = 0, feature = 0; column < header.Length; column++)
            {
                ReadOnlySpan<char> cell = row[column].Span;
                if (column == target)
                {
                    targetText.Add(cell.Length == 0 ? throw CsvColumns.Missing(source, line, column, header[column]) : cell.ToString());
                    targetLines.Add(line);
                }
                else if (slot is null)
                {
                    features.Add(cells!.Read(cell, feature++, line, column));
                }
                else if (slot[column] >= 0)
                {
                    features[first + slot[column]] = cells!.Read(cell, slot[column], line, column);
                }
            }

            if (options.WithoutTarget)
            {
                targetLines.Add(line);
            }
        }

        if (header is null)
        {
            throw new DataFormatException($"{source}: the file is empty; a CSV needs a header row and at least one data row.");
        }

        if (targetLines.Count == 0)
        {
            throw new DataFormatException($"{source}: the header is there but no data rows follow.");
        }

        string name = options.Name ?? Path.GetFileNameWithoutExtension(source);
        (double[] values, IReadOnlyList<string> featureNames, FeatureEncoding? encoding, bool[]? kept) = cells!.Finish(features);
        if (kept is not null)
        {
            // --missing drop: the rows with a gap leave with their targets
            (targetText, targetLines) = ([.. targetText.Where((_, row) => kept[row])], [.. targetLines.Where((_, row) => kept[row])]);
        }

        if (options.WithoutTarget)
        {
            return new Dataset(name, values, featureNames, new double[targetLines.Count]) { Encoding = encoding, UnknownCategories = (cells.UnknownCategories, cells.FirstUnknownCategory) };
        }

        (double[] targets, string[]? classNames) = CsvTargets.Read(targetText, targetLines, options, source, header[target], target);
        return new Dataset(name, values, featureNames, targets, options.ClassNames ?? classNames, header[target])
        {
            Encoding = encoding, UnknownCategories = (cells.UnknownCategories, cells.FirstUnknownCategory),
        };
    }

    internal static void RequireHeader(string[] header, string headerLine, string source, bool withoutTarget)
    {
        if (header.Length < (withoutTarget ? 1 : 2))
        {
            throw new DataFormatException(
                $"{source}: the header {Quote(headerLine)} names no feature columns besides the target (cells are separated by commas, tabs or semicolons; --delimiter names another).");
        }

        for (int column = 0; column < header.Length; column++)
        {
            int first = Array.IndexOf(header, header[column]);
            if (first < column)
            {
                throw new DataFormatException($"{source}: the header names the column {Quote(header[column])} twice (columns {first + 1} and {column + 1}).");
            }
        }
    }

    /// <summary>A row over several lines is legal CSV, but in a table of numbers it means a quote left open.</summary>
    private static void RequireOneLine(SepReader.Row row, int line, string[] header, string source)
    {
        for (int column = 0; row.LineNumberToExcl - line > 1 && column < row.ColCount; column++)
        {
            if (row[column].Span.Contains('\n'))
            {
                string name = column < header.Length ? $" ({header[column]})" : "";
                throw new DataFormatException(
                    $"{source}, line {line}, column {column + 1}{name}: a quoted cell runs on to line {row.LineNumberToExcl - 1}; is its closing quote missing?");
            }
        }
    }

    /// <summary>"1 cell", "3 cells".</summary>
    internal static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count:N0} {noun}s";

    internal static int TargetColumn(string[] header, string? name, string source)
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

    /// <summary>A cell as an error message quotes it: at most 40 characters of it.</summary>
    internal static string Quote(string text) => text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…' ({text.Length:N0} characters)";

    internal static double ParseNumber(ReadOnlySpan<char> text, string source, int line, int column, string name)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }

        if (CsvColumns.IsMissing(text))
        {
            throw CsvColumns.Missing(source, line, column, name, text.ToString());
        }

        string problem = double.IsFinite(value) ? $"{Quote(text.ToString())} is not a number" : $"{Quote(text.ToString())} is not a finite number";
        throw new DataFormatException($"{source}, line {line}, column {column + 1} ({name}): {problem}.");
    }
}
