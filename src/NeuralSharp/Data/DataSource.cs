namespace NeuralSharp.Data;

/// <summary>
/// Where a run's data comes from: a built-in set (<c>iris</c>, <c>digits</c>, <c>mnist</c> …), a generator
/// (<c>circle</c>, <c>spiral</c> …), a CSV file (with its target column, task and separator) or IDX images with their labels.
/// </summary>
/// <param name="Name">A built-in or generator name, or a path ending in <c>.csv</c> or naming an IDX file.</param>
/// <param name="Target">A CSV's target column (null: <c>target</c>, else the last column).</param>
/// <param name="Labels">The IDX labels file that goes with IDX images.</param>
/// <param name="Task">For a CSV: <c>auto</c>, <c>classification</c> or <c>regression</c>.</param>
/// <param name="Delimiter">A CSV's separator (null: detected from its header).</param>
/// <param name="Missing">What a CSV's missing feature cells become (<see cref="MissingValues"/>; refused by default).</param>
public sealed record DataSource(string Name, string? Target = null, string? Labels = null, string Task = "auto", char? Delimiter = null, MissingValues Missing = MissingValues.Refuse)
{
    /// <summary>Points a generator draws.</summary>
    public const int GeneratedPoints = 1000;

    /// <summary>The noise of generated points.</summary>
    public const double GeneratedNoise = 0.1;

    /// <summary>True for a CSV file.</summary>
    public bool IsCsv => Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads (or generates, seeded by <paramref name="seed"/>) the data; a CSV by <paramref name="encoding"/> when given (a model's, that a run goes on from).</summary>
    /// <exception cref="OptionException">The name is none of the kinds, or IDX images come without labels.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message says where.</exception>
    public Dataset Load(ulong seed, FeatureEncoding? encoding = null)
    {
        if (BuiltInDatasets.Contains(Name))
        {
            return BuiltInDatasets.Load(Name);
        }

        if (Generators.Names.Contains(Name.Trim().ToLowerInvariant()))
        {
            return Generators.Create(Name, GeneratedPoints, GeneratedNoise, seed);
        }

        if (IsCsv)
        {
            TaskKind? kind = Task switch
            {
                "auto" => null,
                "classification" => TaskKind.MultiClassClassification,
                "regression" => TaskKind.Regression,
                _ => throw new OptionException("task", $"'{Task}' is not a task; give auto, classification or regression."),
            };
            return CsvReader.Read(Name, new CsvOptions { TargetColumn = Target, Task = kind, Delimiter = Delimiter, Missing = Missing, Encoding = encoding });
        }

        if (Name.Contains(".idx", StringComparison.OrdinalIgnoreCase) || Name.Contains("ubyte", StringComparison.OrdinalIgnoreCase))
        {
            return Labels is null
                ? throw new OptionException("data", "an IDX image file needs its labels too: add labels (--labels LABELS.idx[.gz]).")
                : IdxReader.ReadDataset(Name, Labels);
        }

        throw new OptionException("data",
            $"'{Name}' is not a built-in data set ({string.Join(", ", BuiltInDatasets.Names)}), a generator " +
            $"({string.Join(", ", Generators.Names)}), a .csv file or an IDX file.");
    }
}
