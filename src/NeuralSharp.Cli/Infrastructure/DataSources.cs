using NeuralSharp.Data;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>Finds the data a <c>--data</c> value names: a built-in set, a generator, a CSV file or an IDX image file.</summary>
internal static class DataSources
{
    public static Dataset Load(string data, string? target, string? labels, ulong seed, string task = "auto", char? delimiter = null)
    {
        if (BuiltInDatasets.Contains(data))
        {
            return BuiltInDatasets.Load(data);
        }

        if (Generators.Names.Contains(data.Trim().ToLowerInvariant()))
        {
            return Generators.Create(data, 1000, noise: 0.1, seed);
        }

        if (data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            TaskKind? kind = task switch
            {
                "classification" => TaskKind.MultiClassClassification,
                "regression" => TaskKind.Regression,
                _ => null,
            };
            return CsvReader.Read(data, new CsvOptions { TargetColumn = target, Task = kind, Delimiter = delimiter });
        }

        if (data.Contains(".idx", StringComparison.OrdinalIgnoreCase) || data.Contains("ubyte", StringComparison.OrdinalIgnoreCase))
        {
            return labels is null
                ? throw new UsageException("--data: an IDX image file needs its labels too: add --labels LABELS.idx[.gz].")
                : IdxReader.ReadDataset(data, labels);
        }

        throw new UsageException(
            $"--data: '{data}' is not a built-in data set ({string.Join(", ", BuiltInDatasets.Names)}), a generator " +
            $"({string.Join(", ", Generators.Names)}), a .csv file or an IDX file.");
    }
}
