using System.Numerics.Tensors;

namespace NeuralSharp.Data;

/// <summary>
/// Rescales each feature to mean 0 and standard deviation 1: <c>x' = (x − μ) / σ</c>, with μ and σ fitted on the
/// training data only (fitting on test data would leak it into training). A constant feature keeps σ = 1.
/// </summary>
public sealed class Standardizer
{
    private readonly double[] _mean;
    private readonly double[] _deviation;

    /// <summary>Creates a standardizer from known means and deviations (e.g. read from a model file).</summary>
    public Standardizer(double[] mean, double[] deviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(deviation);
        if (mean.Length != deviation.Length)
        {
            throw new ShapeMismatchException($"Standardizer: {mean.Length} means but {deviation.Length} deviations.");
        }

        _mean = (double[])mean.Clone();
        _deviation = (double[])deviation.Clone();
    }

    /// <summary>The standardizer that changes nothing (μ = 0, σ = 1): features fed as they are, such as pixels in [0, 1].</summary>
    public static Standardizer Identity(int features) => new(new double[features], [.. Enumerable.Repeat(1.0, features)]);

    /// <summary>μ per feature.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>σ per feature (population deviation; 1 where the feature is constant).</summary>
    public IReadOnlyList<double> Deviation => _deviation;

    /// <summary>Fits μ and σ of every feature of <paramref name="training"/>.</summary>
    public static Standardizer Fit(Dataset training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return Fit(training.Features, training.FeatureCount);
    }

    /// <summary>Fits μ and σ of every feature over the given rows of <paramref name="data"/>, in that order (as over a subset of them).</summary>
    public static Standardizer Fit(Dataset data, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        int width = data.FeatureCount, count = rows.Length;
        ReadOnlySpan<double> all = data.Features;
        var mean = new double[width];
        var deviation = new double[width];
        foreach (int row in rows)
        {
            AddMean(all.Slice(row * width, width), count, mean);
        }

        foreach (int row in rows)
        {
            AddVariance(all.Slice(row * width, width), count, mean, deviation);
        }

        return Finish(mean, deviation);
    }

    /// <summary>Fits μ and σ of every column of row-major <paramref name="rows"/> (e.g. regression targets).</summary>
    public static Standardizer Fit(ReadOnlySpan<double> rows, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int count = rows.Length / width;
        var mean = new double[width];
        var deviation = new double[width];
        for (int r = 0; r < count; r++)
        {
            AddMean(rows.Slice(r * width, width), count, mean);
        }

        for (int r = 0; r < count; r++)
        {
            AddVariance(rows.Slice(r * width, width), count, mean, deviation);
        }

        return Finish(mean, deviation);
    }

    // column by column in row order, each term divided by n as it is added: μ = Σ x/n, then σ² = Σ (x − μ)²/n
    private static void AddMean(ReadOnlySpan<double> row, int count, Span<double> mean)
    {
        for (int j = 0; j < row.Length; j++)
        {
            mean[j] += row[j] / count;
        }
    }

    private static void AddVariance(ReadOnlySpan<double> row, int count, ReadOnlySpan<double> mean, Span<double> variance)
    {
        for (int j = 0; j < row.Length; j++)
        {
            double term = row[j] - mean[j];
            variance[j] += term * term / count;
        }
    }

    private static Standardizer Finish(double[] mean, double[] deviation)
    {
        int width = mean.Length;
        for (int j = 0; j < width; j++)
        {
            double sigma = Math.Sqrt(deviation[j]);
            deviation[j] = sigma > 1e-12 ? sigma : 1;
        }

        return new Standardizer(mean, deviation);
    }

    /// <summary>A copy of <paramref name="data"/> with every feature standardized.</summary>
    /// <exception cref="ShapeMismatchException">The data has another number of features.</exception>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = data.Features.ToArray();
        Transform(features);
        return data.WithFeatures(features);
    }

    /// <summary>
    /// The features of <paramref name="data"/> standardized and converted to <typeparamref name="T"/> in one pass, row by
    /// row (the same values as <see cref="Transform(Dataset)"/> then a conversion, without a standardized copy in float64).
    /// </summary>
    public NDArray<T> TransformTo<T>(Dataset data)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        return TransformTo<T>(data, [.. Enumerable.Range(0, data.Count)]);
    }

    /// <summary>The given rows of <paramref name="data"/>, in that order, standardized and converted (no copy of them in float64).</summary>
    public NDArray<T> TransformTo<T>(Dataset data, ReadOnlySpan<int> rows)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _mean.Length)
        {
            throw new ShapeMismatchException($"Standardizer fitted on {_mean.Length} features got '{data.Name}' with {data.FeatureCount}.");
        }

        int width = data.FeatureCount;
        var result = new NDArray<T>(rows.Length, width);
        Span<T> values = result.AsSpan();
        ReadOnlySpan<double> all = data.Features, mean = _mean, deviation = _deviation;
        for (int i = 0; i < rows.Length; i++)
        {
            ReadOnlySpan<double> row = all.Slice(rows[i] * width, width);
            Span<T> into = values.Slice(i * width, width);
            for (int j = 0; j < width; j++)
            {
                // x' = (x − μ) / σ, rounded once to T
                into[j] = T.CreateTruncating((row[j] - mean[j]) / deviation[j]);
                if (!T.IsFinite(into[j]))
                {
                    // named where the file has it, before any training: a test row far outside the training rows' range
                    throw new DataFormatException($"'{data.Name}' row {rows[i] + 1}, column '{data.FeatureNames[j]}' holds {row[j]:G6}, which scaled by the training rows (μ {mean[j]:G4}, σ {deviation[j]:G4}) is beyond {typeof(T).Name}'s range; check that value, or bring the column to a smaller scale.");
                }
            }
        }

        return result;
    }

    /// <summary>Undoes <see cref="Transform(Span{double})"/> in place, <c>x = x'·σ + μ</c> (e.g. predicted targets).</summary>
    public void InverseTransform(Span<double> rows)
    {
        for (int at = 0; at < rows.Length; at += _mean.Length)
        {
            TensorPrimitives.Multiply(rows.Slice(at, _mean.Length), _deviation, rows.Slice(at, _mean.Length));
            TensorPrimitives.Add(rows.Slice(at, _mean.Length), _mean, rows.Slice(at, _mean.Length));
        }
    }

    /// <summary>Standardizes rows of features in place, <c>x' = (x − μ) / σ</c>.</summary>
    public void Transform(Span<double> rows)
    {
        if (_mean.Length == 0 || rows.Length % _mean.Length != 0)
        {
            throw new ShapeMismatchException($"Standardizer fitted on {_mean.Length} features got rows of another width ({rows.Length} values).");
        }

        for (int at = 0; at < rows.Length; at += _mean.Length)
        {
            TensorPrimitives.Subtract(rows.Slice(at, _mean.Length), _mean, rows.Slice(at, _mean.Length));
            TensorPrimitives.Divide(rows.Slice(at, _mean.Length), _deviation, rows.Slice(at, _mean.Length));
        }
    }
}
