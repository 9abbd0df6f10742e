using System.Globalization;

namespace NeuralSharp.Data;

/// <summary>
/// A series as samples for a recurrent network: sample k is the N consecutive rows k … k + N − 1 (every feature
/// column, and the target's own past values when the target is a number), and its target is the target column H rows
/// after the window's last row. Rows are in time order; so are the samples, and a split of them keeps that order
/// (the test rows last) so that no future leaks into training.
/// </summary>
/// <param name="Window">N, the rows of one sample.</param>
/// <param name="Horizon">H, how many rows after the window's last the target lies (1: the next row).</param>
/// <param name="Columns">The columns of each step, in order (the source's features, then its target for a numeric target).</param>
public sealed record SequenceWindows(int Window, int Horizon, IReadOnlyList<string> Columns)
{
    /// <summary>The largest window and horizon taken.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>The most values the windows of a data set may hold (N·F per sample): 2 GB of doubles.</summary>
    public const long MaxValues = 256L << 20;

    /// <summary>The windows of <paramref name="rows"/> (a series read in time order) with their targets.</summary>
    /// <exception cref="OptionException">The window or horizon is out of range, or the series too short or the windows too large.</exception>
    public static Dataset Of(Dataset rows, int window, int horizon)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Image is not null)
        {
            throw new OptionException("window", $"'{rows.Name}' is images; windows are cut from a series of rows, such as a CSV file's.");
        }

        // a numeric target's past values are inputs too; class labels are not
        bool numeric = rows.ClassNames is null && rows.TargetWidth == 1;
        int width = rows.FeatureCount + (numeric ? 1 : 0);
        var values = new double[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            rows.FeatureRow(i).CopyTo(values.AsSpan(i * width));
            if (numeric)
            {
                values[(i * width) + width - 1] = rows.Targets[i];
            }
        }

        return Cut(rows.Name, values, [.. rows.FeatureNames, .. numeric ? new[] { rows.TargetName } : []], rows.Targets.ToArray(), rows.ClassNames, rows.TargetName, window, horizon);
    }

    /// <summary>
    /// The windows of a CSV series whose columns are all numbers, the target among them (a series of the target alone
    /// is one column): every column is an input at every step, the target column also what is forecast.
    /// </summary>
    /// <exception cref="DataFormatException">The file is malformed or has no such column.</exception>
    public static Dataset ReadSeries(string path, string? target, char? delimiter, int window, int horizon)
    {
        Dataset all = CsvReader.Read(path, new CsvOptions { WithoutTarget = true, Delimiter = delimiter });
        int column = target is null ? (all.FeatureNames.Contains("target") ? all.FeatureNames.ToList().IndexOf("target") : all.FeatureCount - 1) : all.FeatureNames.ToList().IndexOf(target);
        if (column < 0)
        {
            throw new OptionException("target", $"'{target}' is not a column of {Path.GetFileName(path)} ({string.Join(", ", all.FeatureNames.Take(10))}).");
        }

        double[] targets = [.. Enumerable.Range(0, all.Count).Select(i => all.FeatureRow(i)[column])];
        return Cut(all.Name, all.Features.ToArray(), all.FeatureNames, targets, null, all.FeatureNames[column], window, horizon);
    }

    /// <summary>The windows of one series of numbers (named <paramref name="name"/>), each forecasting the value H on.</summary>
    /// <exception cref="OptionException">The window or horizon is out of range, or the series too short.</exception>
    public static Dataset OfSeries(string name, IReadOnlyList<double> values, int window, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Cut(name, [.. values], [name], [.. values], null, name, window, horizon);
    }

    /// <summary>Windows of rows <c>[n, F]</c> of <paramref name="columns"/>, each with the target H rows after its last.</summary>
    private static Dataset Cut(string name, double[] values, IReadOnlyList<string> columns, double[] targets, IReadOnlyList<string>? classes, string targetName, int window, int horizon)
    {
        var windows = new SequenceWindows(window, horizon, columns);
        int count = values.Length / columns.Count, samples = windows.Check(count, name), targetWidth = targets.Length / count;
        var rows = new Dataset(name, values, columns, new double[count]);
        var cutTargets = new double[samples * targetWidth];
        for (int k = 0; k < samples; k++)
        {
            targets.AsSpan(windows.TargetRow(k) * targetWidth, targetWidth).CopyTo(cutTargets.AsSpan(k * targetWidth));
        }

        return new Dataset(name, windows.Inputs(rows, samples), windows.FeatureNames, cutTargets, classes, targetName) { Windows = windows };
    }

    /// <summary>The row (0-based) whose target window <paramref name="window"/> forecasts: H after its last, k + N − 1 + H.</summary>
    public int TargetRow(int window) => window + Window - 1 + Horizon;

    /// <summary>The names of a window's N·F values: <c>col@t-k</c>, k rows before the window's last (<c>col@t</c>).</summary>
    public IReadOnlyList<string> FeatureNames => [.. Enumerable.Range(0, Window).SelectMany(t => Columns.Select(c =>
        Window - 1 - t == 0 ? $"{c}@t" : string.Create(CultureInfo.InvariantCulture, $"{c}@t-{Window - 1 - t}")))];

    /// <summary>
    /// The inputs of the first <paramref name="samples"/> windows of <paramref name="rows"/>, whose features are the
    /// columns in <see cref="Columns"/> order: <c>[samples, N·F]</c>, time-major.
    /// </summary>
    public double[] Inputs(Dataset rows, int samples)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int width = Columns.Count;
        var values = new double[(long)samples * Window * width <= MaxValues ? samples * Window * width : throw TooLarge(samples, rows.Name)];
        for (int k = 0; k < samples; k++)
        {
            for (int t = 0; t < Window; t++)
            {
                rows.FeatureRow(k + t).CopyTo(values.AsSpan(((k * Window) + t) * width, width));
            }
        }

        return values;
    }

    /// <summary>
    /// The windows of a CSV's rows for prediction: every whole window (the last ones too, whose targets lie beyond the
    /// file), the columns found by name; the file's numeric target column, when it has one, gives each window's
    /// <paramref name="truth"/> (NaN for the windows whose target lies past the file's end), to score the others.
    /// </summary>
    /// <exception cref="DataFormatException">The file lacks a column, is malformed, or is shorter than one window.</exception>
    public Dataset Read(string path, char? delimiter, string targetName, out double[]? truth)
    {
        string file = Path.GetFileName(path);
        Dataset all = CsvReader.Read(path, new CsvOptions { WithoutTarget = true, Delimiter = delimiter });
        List<string> names = [.. all.FeatureNames];
        string[] missing = [.. Columns.Where(c => !names.Contains(c))];
        if (missing.Length > 0)
        {
            throw new DataFormatException($"{file} lacks the model's columns: {string.Join(", ", missing)} (each window takes {string.Join(", ", Columns)}).");
        }

        int samples = all.Count - Window + 1, width = Columns.Count;
        if (samples < 1)
        {
            throw new DataFormatException($"{file} has {all.Count} rows; one of the model's windows takes {Window}.");
        }

        int[] order = [.. Columns.Select(c => names.IndexOf(c))];
        var picked = new double[all.Count * width];
        for (int i = 0; i < all.Count; i++)
        {
            for (int j = 0; j < width; j++)
            {
                picked[(i * width) + j] = all.FeatureRow(i)[order[j]];
            }
        }

        int target = names.IndexOf(targetName);
        truth = target < 0 ? null : [.. Enumerable.Range(0, samples).Select(k => TargetRow(k) < all.Count ? all.FeatureRow(TargetRow(k))[target] : double.NaN)];
        var rows = new Dataset(all.Name, picked, Columns, new double[all.Count]);
        return new Dataset(all.Name, Inputs(rows, samples), FeatureNames, new double[samples]) { Windows = this };
    }

    /// <summary>The samples a series of <paramref name="count"/> rows gives with a target (N + H − 1 rows fewer).</summary>
    /// <exception cref="OptionException">Out of range, or too few rows for one sample per part of the split.</exception>
    public int Check(int count, string name)
    {
        if (Window is < 1 or > MaxSteps)
        {
            throw new OptionException("window", $"must be 1 … {MaxSteps:N0} rows, not {Window}.");
        }

        if (Horizon is < 1 or > MaxSteps)
        {
            throw new OptionException("horizon", $"must be 1 … {MaxSteps:N0} rows after the window, not {Horizon}.");
        }

        int samples = count - Window - Horizon + 1;
        if (samples < 3)
        {
            throw new OptionException("window", $"'{name}' has {count:N0} rows: windows of {Window} with a target {Horizon} row(s) on leave {Math.Max(samples, 0)} samples, too few to train, validate and test on; give a smaller --window.");
        }

        if ((long)samples * Window * Columns.Count > MaxValues)
        {
            throw TooLarge(samples, name);
        }

        return samples;
    }

    private OptionException TooLarge(int samples, string name) => new("window",
        $"{samples:N0} windows of {Window} rows × {Columns.Count} columns from '{name}' would hold {(double)samples * Window * Columns.Count * 8 / 1e9:N1} GB; the limit is {MaxValues * 8 / 1e9:N1} GB — give a smaller --window or fewer rows.");
}
