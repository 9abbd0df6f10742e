namespace NeuralSharp.Data;

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

    /// <summary>The separator between cells; null to detect comma, tab or semicolon from the header.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Every column is a feature and there is no target (rows to predict); targets are read as 0.</summary>
    public bool WithoutTarget { get; init; }

    /// <summary>
    /// The feature columns to read, by name and in this order (each must be there); every other column but the target is
    /// skipped unread — an id, a name, a label a model does not take. Null: every column, in the file's order.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>What a missing cell in a feature column becomes (a training file's; <see cref="MissingValues.Refuse"/> by default).</summary>
    public MissingValues Missing { get; init; }

    /// <summary>
    /// A model's encoding to read the file by (its columns, by name and in its order; a text column's cells looked up
    /// among its categories, a gap filled as it says), rather than learning one from the file.
    /// </summary>
    public FeatureEncoding? Encoding { get; init; }

    /// <summary>The columns read by name: <see cref="Columns"/>, or the encoding's; null for every column.</summary>
    internal IReadOnlyList<string>? Wanted => Columns ?? Encoding?.Columns.Select(c => c.Name).ToList();

    /// <summary>Each header column's place among <see cref="Wanted"/> (each of which must be there), −1 for a column left unread.</summary>
    internal int[] Slots(string[] header, int target, string source)
    {
        List<string> wanted = [.. Wanted ?? []];
        string[] missing = [.. wanted.Where(name => Array.IndexOf(header, name) < 0)];
        if (missing.Length > 0)
        {
            throw new DataFormatException($"{source} lacks the column{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing.Select(CsvReader.Quote))}. Columns: {string.Join(", ", header)}.");
        }

        return [.. header.Select((name, column) => column == target ? -1 : wanted.IndexOf(name))];
    }
}
