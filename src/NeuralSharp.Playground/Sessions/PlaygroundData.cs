using NeuralSharp.Data;
using NeuralSharp.Randomness;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// A session's points: raw 2-D coordinates with labels (or targets), split into training and test points, turned
/// into the chosen input features (x1, x2, x1², x2², x1·x2, sin x1, sin x2) for the network.
/// </summary>
public sealed class PlaygroundData
{
    private PlaygroundData(double[] points, double[] targets, int classes, int trainCount, string[] features, (double, double, double, double) bounds,
        IReadOnlyList<string>? classNames, string targetName)
    {
        ClassNames = classNames;
        TargetName = targetName;
        Points = points;
        Targets = targets;
        Classes = classes;
        TrainCount = trainCount;
        Features = features;
        Bounds = bounds;
    }

    /// <summary>Raw coordinates, <c>[count, 2]</c>, training points first.</summary>
    public double[] Points { get; }

    /// <summary>Class indices, or regression targets.</summary>
    public double[] Targets { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int Classes { get; }

    /// <summary>The classes' names (generated sets: −1/+1, or 0, 1, 2 …; an upload: its labels), null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>How many of the points (the first ones) are for training.</summary>
    public int TrainCount { get; }

    /// <summary>All points.</summary>
    public int Count => Targets.Length;

    /// <summary>The input features in use.</summary>
    public string[] Features { get; }

    /// <summary>The square drawn on the page: x from, x to, y from, y to.</summary>
    public (double XMin, double XMax, double YMin, double YMax) Bounds { get; }

    /// <summary>A generated data set by its page name: the course's regression on the page's square, the rest as the library makes them.</summary>
    internal static Dataset Generate(string dataset, int count, double noise, ulong seed) => dataset == "course-regression"
        ? Generators.CourseRegression(count, seed, -6, 6)
        : Generators.Create(dataset, count, noise, seed);

    /// <summary>
    /// How much larger a data set's targets are than the page shows them: d = 3·x1 + 2·x2 on [−6, 6)² spans ±30, drawn at
    /// a tenth so both regressions read alike on the page's ±3; downloads answer in the target's own units again.
    /// </summary>
    public static double TargetScale(string dataset) => dataset == "course-regression" ? 10 : 1;

    /// <summary>Generates or reads the points for a configuration.</summary>
    /// <exception cref="DataFormatException">An uploaded CSV is malformed or not two numeric features and a target.</exception>
    public static PlaygroundData Create(PlaygroundConfig config, Dataset? upload)
    {
        ArgumentNullException.ThrowIfNull(config);
        Dataset data = config.Dataset == "upload"
            ? upload ?? throw new DataFormatException("dataset 'upload' needs a CSV file: upload one first.")
            : Generate(config.Dataset, Limits.GeneratedPoints, config.Noise / 100.0, (ulong)config.Seed);
        int[] order = [.. Enumerable.Range(0, data.Count)];
        new SeededRandom((ulong)config.Seed + 1).Shuffle<int>(order);
        var points = new double[data.Count * 2];
        var targets = new double[data.Count];
        for (int i = 0; i < order.Length; i++)
        {
            data.FeatureRow(order[i]).CopyTo(points.AsSpan(2 * i, 2));
            targets[i] = data.Targets[order[i]];
        }

        double scale = TargetScale(config.Dataset);
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] /= scale;
        }

        int trainCount = Math.Clamp((int)Math.Round(data.Count * config.TrainRatio / 100.0), 1, data.Count - 1);
        return new PlaygroundData(points, targets, data.ClassCount, trainCount, config.Features, BoundsOf(points, config.Dataset == "upload"),
            data.ClassCount > 0 ? data.ClassNames : null, data.TargetName);
    }

    /// <summary>Reads an uploaded CSV: exactly two numeric feature columns and a target (last column or 'target').</summary>
    public static Dataset ReadUpload(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (csv.Length > Limits.MaxUploadBytes)
        {
            throw new DataFormatException($"upload: the file is {csv.Length:N0} bytes; the limit is {Limits.MaxUploadBytes:N0}.");
        }

        Dataset data = CsvReader.Read(new StringReader(csv), "upload.csv", new CsvOptions { Name = "upload" });
        if (data.FeatureCount != 2)
        {
            throw new DataFormatException($"upload.csv: the playground needs exactly two feature columns and a target, but the file has {data.FeatureCount} feature columns.");
        }

        if (data.ClassCount > Limits.MaxClasses)
        {
            throw new DataFormatException($"upload.csv: {data.ClassCount:N0} classes; the playground takes at most {Limits.MaxClasses} (labels are counted as they appear, not by their size).");
        }

        if (data.Count > Limits.MaxUploadRows)
        {
            throw new DataFormatException($"upload.csv: {data.Count:N0} rows; the limit is {Limits.MaxUploadRows:N0}.");
        }

        return data.Count < 4 ? throw new DataFormatException("upload.csv: at least 4 rows are needed to train and test.") : data;
    }

    /// <summary>Writes the features of one raw point.</summary>
    public void Featurize(double x1, double x2, Span<double> features)
    {
        for (int f = 0; f < Features.Length; f++)
        {
            features[f] = Features[f] switch
            {
                "x1" => x1,
                "x2" => x2,
                "x1^2" => x1 * x1,
                "x2^2" => x2 * x2,
                "x1x2" => x1 * x2,
                "sin_x1" => Math.Sin(x1),
                _ => Math.Sin(x2),
            };
        }
    }

    /// <summary>The features of points <paramref name="from"/> … <paramref name="to"/> − 1 as a batch.</summary>
    public NDArray<double> FeatureTensor(int from, int to)
    {
        var x = new NDArray<double>(to - from, Features.Length);
        for (int i = from; i < to; i++)
        {
            Featurize(Points[2 * i], Points[(2 * i) + 1], x.Row(i - from));
        }

        return x;
    }

    private static (double, double, double, double) BoundsOf(double[] points, bool fit)
    {
        if (!fit)
        {
            return (-6, 6, -6, 6);
        }

        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        for (int i = 0; i < points.Length; i += 2)
        {
            (xMin, xMax) = (Math.Min(xMin, points[i]), Math.Max(xMax, points[i]));
            (yMin, yMax) = (Math.Min(yMin, points[i + 1]), Math.Max(yMax, points[i + 1]));
        }

        double xPad = Math.Max((xMax - xMin) * 0.1, 1e-3), yPad = Math.Max((yMax - yMin) * 0.1, 1e-3);
        return (xMin - xPad, xMax + xPad, yMin - yPad, yMax + yPad);
    }
}
