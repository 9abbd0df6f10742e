using System.Collections.Concurrent;
using NeuralSharp.Data;

namespace NeuralSharp.Tuning;

/// <summary>
/// A sweep's data as every trial uses it: read once per process (a silo serves many trials), split into training and
/// validation rows by the sweep's seed, features standardized by the training rows' statistics.
/// </summary>
public sealed class TrialData
{
    private static readonly ConcurrentDictionary<(string, string?, ulong, double), Lazy<TrialData>> Cache = new();

    private TrialData(Dataset train, Dataset validation, Standardizer standardizer)
    {
        Train = train;
        Validation = validation;
        Standardizer = standardizer;
        (TrainX, TrainD) = (Standardizer.Transform(train).FeatureTensor<float>(), train.TargetTensor<float>());
        (ValidationX, ValidationD) = (Standardizer.Transform(validation).FeatureTensor<float>(), validation.TargetTensor<float>());
    }

    /// <summary>The training rows (raw).</summary>
    public Dataset Train { get; }

    /// <summary>The validation rows (raw).</summary>
    public Dataset Validation { get; }

    /// <summary>The standardizer fitted on the training rows (saved with the best model).</summary>
    public Standardizer Standardizer { get; }

    /// <summary>Standardized training features and their targets.</summary>
    public NDArray<float> TrainX { get; }

    /// <summary>Training targets.</summary>
    public NDArray<float> TrainD { get; }

    /// <summary>Standardized validation features.</summary>
    public NDArray<float> ValidationX { get; }

    /// <summary>Validation targets.</summary>
    public NDArray<float> ValidationD { get; }

    /// <summary>The first <paramref name="rows"/> training rows and as many validation rows (all when there are fewer), standardized as here.</summary>
    public TrialData Head(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        Dataset First(Dataset d) => d.Subset([.. Enumerable.Range(0, Math.Min(rows, d.Count))]);
        return new TrialData(First(Train), First(Validation), Standardizer);
    }

    /// <summary>The prepared data of a sweep, read on first use in this process.</summary>
    /// <exception cref="DataFormatException">The source is malformed; the message says where.</exception>
    public static TrialData For(SweepData sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        (string, string?, ulong, double) key = (sweep.Source, sweep.Target, sweep.SplitSeed, sweep.ValidationFraction);
        Lazy<TrialData> lazy = Cache.GetOrAdd(key, _ => new Lazy<TrialData>(() => Load(sweep)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // a failed read is not remembered: the file may be fixed and the sweep started again
            Cache.TryRemove(new KeyValuePair<(string, string?, ulong, double), Lazy<TrialData>>(key, lazy));
            throw;
        }
    }

    private static TrialData Load(SweepData sweep)
    {
        Dataset data = BuiltInDatasets.Contains(sweep.Source) ? BuiltInDatasets.Load(sweep.Source)
            : Generators.Names.Contains(sweep.Source) ? Generators.Create(sweep.Source, 1000, 0.1, sweep.SplitSeed)
            : sweep.Source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? CsvReader.Read(sweep.Source, new CsvOptions { TargetColumn = sweep.Target })
            : throw new DataFormatException(
                $"--data: '{sweep.Source}' is not a built-in data set ({string.Join(", ", BuiltInDatasets.Names)}), a generator or a .csv file (tune trains dense networks on tabular data).");
        if (data.Count < 10)
        {
            throw new DataFormatException($"{sweep.Source}: {data.Count} rows; a sweep needs at least 10 to hold some out for validation.");
        }

        (Dataset train, Dataset validation) = data.Split(sweep.ValidationFraction, sweep.SplitSeed);
        return new TrialData(train, validation, Standardizer.Fit(train));
    }
}
