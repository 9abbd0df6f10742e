using System.Globalization;

namespace NeuralSharp.Data;

/// <summary>
/// What a CSV's target column holds: class labels (text, or the indices 0 … k − 1) or a regression target; see
/// <see cref="CsvReader"/> for the rules.
/// </summary>
internal static class CsvTargets
{
    public static (double[] Targets, string[]? ClassNames) Read(
        List<string> text, List<int> lines, CsvOptions options, string source, string targetName, int targetColumn)
    {
        bool numeric = text.All(cell => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (!numeric)
        {
            if (options.Task == TaskKind.Regression)
            {
                int bad = text.FindIndex(cell => !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                throw new DataFormatException(
                    $"{source}, line {lines[bad]}, column {targetColumn + 1} ({targetName}): {CsvReader.Quote(text[bad])} is not a number, but the task is regression.");
            }

            string[] names = [.. text.Distinct().Order(StringComparer.Ordinal)];
            RequireFewClasses(names.Length, source, targetName);
            Dictionary<string, double> index = Ranks(names);
            return ([.. text.Select(cell => index[cell])], names);
        }

        double[] values = [.. text.Select((cell, row) => CsvReader.ParseNumber(cell, source, lines[row], targetColumn, targetName))];
        return FromNumbers(values, values.Length, options, source, targetName);
    }

    /// <summary>
    /// A numeric target column, the first <paramref name="count"/> of <paramref name="values"/> (the array may be longer):
    /// class indices when they look like them (or the task says so), else regression targets.
    /// </summary>
    public static (double[] Targets, string[]? ClassNames) FromNumbers(double[] values, int count, CsvOptions options, string source, string targetName)
    {
        if (values.Length != count)
        {
            values = values.AsSpan(0, count).ToArray();
        }

        bool wholeNumbers = values.All(v => v == Math.Floor(v));
        int distinct = values.Distinct().Count();
        bool classes = options.Task switch
        {
            TaskKind.Regression => false,
            // class indices look like 0, 1, …, k − 1, all present: a regression target of few whole numbers (20
            // weights in kilograms) does not, and is not taken for one class per value
            null => wholeNumbers && values.Min() >= 0 && distinct <= 20 && values.Max() == distinct - 1 && distinct < values.Length,
            _ => true,
        };
        if (!classes)
        {
            return (values, null);
        }

        if (!wholeNumbers)
        {
            throw new DataFormatException($"{source}: the target '{targetName}' holds numbers with fractions, which are not class labels (use the regression task for them).");
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
        string[] names = [.. present.Select(label => label.ToString("R", CultureInfo.InvariantCulture))];
        // labels that are already the indices 0…k−1 are their own ranks (a large file's targets are not copied)
        bool indices = present.Select((label, i) => label == i).All(same => same);
        return (indices ? values : [.. values.Select(v => rank[v])], names);
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
}
