using System.Collections.Concurrent;
using NeuralSharp.Data;
using NeuralSharp.Training;

namespace NeuralSharp.Tuning;

/// <summary>
/// A sweep's data as every trial uses it: read and prepared once per process (a silo serves many trials) by the
/// library's one preparation (<see cref="PreparedData{T}"/>) — the same rows, standardizers and tensors
/// <c>train --config</c> gives the trial's configuration.
/// </summary>
public static class TrialData
{
    private static readonly ConcurrentDictionary<(string, string?, ulong, double, double, string?, string?), Lazy<PreparedData<float>>> Cache = new();

    /// <summary>The prepared data of a sweep, read on first use in this process.</summary>
    /// <exception cref="DataFormatException">The source is malformed or too small; the message says where.</exception>
    /// <exception cref="OptionException">The source is none of the kinds a sweep reads.</exception>
    public static PreparedData<float> For(SweepData sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        (string, string?, ulong, double, double, string?, string?) key = (sweep.Source, sweep.Target, sweep.SplitSeed, sweep.TestFraction, sweep.ValidationFraction, sweep.Missing, sweep.ClassWeights);
        Lazy<PreparedData<float>> lazy = Cache.GetOrAdd(key, _ => new Lazy<PreparedData<float>>(() => Load(sweep)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // a failed read is not remembered: the file may be fixed and the sweep started again
            Cache.TryRemove(new KeyValuePair<(string, string?, ulong, double, double, string?, string?), Lazy<PreparedData<float>>>(key, lazy));
            throw;
        }
    }

    private static PreparedData<float> Load(SweepData sweep)
    {
        RunConfig run = new TrialConfig().ToRunConfig(sweep, epochs: 1);
        if (!run.Source.IsCsv && !BuiltInDatasets.Contains(sweep.Source) && !Generators.Names.Contains(sweep.Source))
        {
            throw new DataFormatException(
                $"--data: '{sweep.Source}' is not a built-in data set ({string.Join(", ", BuiltInDatasets.Names)}), a generator or a .csv file (tune trains dense networks on tabular data).");
        }

        Dataset data = run.LoadData();
        if (data.Count < 10)
        {
            throw new DataFormatException($"{sweep.Source}: {data.Count} rows; a sweep needs at least 10 to hold some out for validation.");
        }

        return run.Prepare<float>(data);
    }
}
