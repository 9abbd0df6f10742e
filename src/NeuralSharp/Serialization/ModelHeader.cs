using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization;

/// <summary>The JSON header of a model file: architecture and metadata (the weights follow it as raw numbers).</summary>
internal sealed record ModelHeader
{
    public string Scalar { get; init; } = "float32";

    public List<LayerRecord> Layers { get; init; } = [];

    public string Task { get; init; } = nameof(TaskKind.Regression);

    public List<string> FeatureNames { get; init; } = [];

    public List<string>? ClassNames { get; init; }

    public string TargetName { get; init; } = "target";

    /// <summary>The loss the model was trained with (<see cref="Losses.Loss.Names"/>); absent in files written before the task head was saved.</summary>
    public string? Loss { get; init; }

    /// <summary>The configuration that trained the model (a JSON object as text), if any.</summary>
    public string? Configuration { get; init; }

    public List<double>? Mean { get; init; }

    public List<double>? Deviation { get; init; }

    public List<double>? TargetMean { get; init; }

    public List<double>? TargetDeviation { get; init; }

    /// <summary>A series model's window (rows per sample), or null.</summary>
    public int? Window { get; init; }

    /// <summary>A series model's horizon (rows after the window), or null.</summary>
    public int? Horizon { get; init; }

    /// <summary>A series model's columns of each step, in order, or null.</summary>
    public List<string>? Columns { get; init; }

    /// <summary>How the CSV's columns become the features (<see cref="FeatureEncoding"/>), or null.</summary>
    public List<ColumnRecord>? Encoding { get; init; }

    public static ModelHeader From<T>(Model<T> model, string scalar)
        where T : unmanaged, IFloatingPointIeee754<T> => new()
        {
            Scalar = scalar,
            Layers = [.. model.Network.Layers.Select(LayerRecord.From)],
            Task = model.Task.ToString(),
            FeatureNames = [.. model.FeatureNames],
            ClassNames = model.ClassNames?.ToList(),
            TargetName = model.TargetName,
            Loss = Losses.Loss.NameOf(model.Head.Loss),
            Configuration = model.Configuration,
            Mean = model.Standardizer?.Mean.ToList(),
            Deviation = model.Standardizer?.Deviation.ToList(),
            TargetMean = model.TargetStandardizer?.Mean.ToList(),
            TargetDeviation = model.TargetStandardizer?.Deviation.ToList(),
            Window = model.Windows?.Window,
            Horizon = model.Windows?.Horizon,
            Columns = model.Windows?.Columns.ToList(),
            Encoding = Records(model.Encoding),
        };

    public Model<T> Build<T>(ReadOnlySpan<byte> payload, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelFile.Require(Scalar is "float32" or "float64", source, $"stores weights as '{Scalar}', which is neither float32 nor float64");
        ModelFile.Require(Enum.TryParse(Task, out TaskKind task), source, $"names an unknown task '{Task}'");
        ModelFile.Require(Configuration is null || ModelFile.IsJsonObject(Configuration), source, "has a configuration that is not a JSON object (field configuration)");
        ModelFile.Require(Loss is null || Losses.Loss.Names.Contains(Loss), source, $"names an unknown loss '{ModelFile.Excerpt(Loss ?? "")}' (field loss; known: {string.Join(", ", Losses.Loss.Names)})");
        int size = Scalar == "float32" ? 4 : 8;
        Validate(payload.Length, size, source);
        var layers = new List<ILayer<T>>();
        int offset = 0;
        try
        {
            foreach (LayerRecord record in Layers)
            {
                layers.Add(record.Build<T>(payload, ref offset, size, source));
            }

            ModelFile.Require(offset == payload.Length, source, $"holds {payload.Length} bytes of weights, but its layers need {offset}");
            Standardizer? standardizer = Mean is not null && Deviation is not null ? new Standardizer([.. Mean], [.. Deviation]) : null;
            Standardizer? targets = TargetMean is not null && TargetDeviation is not null ? new Standardizer([.. TargetMean], [.. TargetDeviation]) : null;
            var network = new Sequential<T>(layers);
            Training.TaskHead head = Loss is null ? Training.TaskHead.Of(network, task)
                : new Training.TaskHead(task, network.OutputActivation?.Activation.Kind ?? ActivationKind.Identity, network.OutputWidth, Losses.Loss.Parse(Loss));
            return new Model<T>(network, task, FeatureNames, ClassNames, TargetName, standardizer, targets) { Head = head, Configuration = Configuration, Windows = Window is { } window ? new SequenceWindows(window, Horizon!.Value, Columns!) : null,
                Encoding = ReadEncoding(Encoding, FeatureNames, source, "field encoding") };
        }
        catch (ArgumentException error)
        {
            throw new DataFormatException($"{source} describes an impossible network: {error.Message}", error);
        }
    }

    /// <summary>
    /// The whole header against the payload and the limits, before anything is allocated from its numbers: every
    /// claimed size is checked (in 64-bit arithmetic) against the bytes that are really there.
    /// </summary>
    private void Validate(int payloadBytes, int size, string source)
    {
        ModelFile.Require(Layers is { Count: > 0 } && Layers.TrueForAll(layer => layer is not null) && Layers[0].Type is "dense" or "conv" or "rnn" or "lstm" or "gru" or "birnn" or "bilstm" or "bigru" or "embedding", source,
            "has no layers, an empty layer entry, or does not start with a dense, conv, recurrent or embedding layer");
        long claimed = 0;
        int width = Layers[0].Type switch { "dense" => Layers[0].Inputs, "conv" => Layers[0].Image.Size, "embedding" => Layers[0].Input is [int steps] ? steps : 0, _ => Layers[0].Sequence.Size }, inputs = width;
        foreach (LayerRecord layer in Layers)
        {
            (long values, int next) = layer.Values(width, source);
            claimed += values * size;
            ModelFile.Require(claimed <= payloadBytes, source, $"claims more weights (layer '{layer.Name}' and those before it: {claimed:N0} bytes) than the {payloadBytes:N0} bytes it holds");
            width = next;
        }

        int outputs = width;
        ModelFile.Require(claimed == payloadBytes, source, $"holds {payloadBytes:N0} bytes of weights, but its layers need {claimed:N0}");
        ModelFile.Require(FeatureNames is not null && FeatureNames.Count == inputs && FeatureNames.TrueForAll(name => name is not null), source,
            $"names {FeatureNames?.Count ?? 0} features for a network of {inputs} inputs (field featureNames)");
        ModelFile.Require(ClassNames is null || (ClassNames.Count <= Dataset.MaxClasses && (ClassNames.Count == outputs || (outputs == 1 && ClassNames.Count == 2)) && ClassNames.TrueForAll(name => name is not null)), source,
            $"names {ClassNames?.Count} classes for a network of {outputs} outputs (field classNames)");
        ModelFile.Require(Mean is null || (Mean.Count == inputs && Deviation?.Count == Mean.Count), source,
            $"has a standardizer of {Mean?.Count} means and {Deviation?.Count} deviations for {inputs} inputs (fields mean, deviation)");
        ModelFile.Require(TargetMean is null || TargetDeviation?.Count == TargetMean.Count, source, "has target means and deviations of different lengths (fields targetMean, targetDeviation)");
        // every field a later command reads is checked here, not where predict or export would trip over it
        ModelFile.Require(!string.IsNullOrWhiteSpace(TargetName), source, "names no target (field targetName)");
        ModelFile.Require((Mean is null) == (Deviation is null), source, "has means without deviations, or deviations without means (fields mean, deviation)");
        ModelFile.Require((TargetMean is null) == (TargetDeviation is null), source, "has target means without deviations, or the reverse (fields targetMean, targetDeviation)");
        ModelFile.Require(Window is null ? Horizon is null && Columns is null
            : Window is >= 1 and <= SequenceWindows.MaxSteps && Horizon is >= 1 and <= SequenceWindows.MaxSteps && Columns is { Count: > 0 } && Columns.TrueForAll(c => c is not null)
                && (long)Window.Value * Columns.Count == inputs, source,
            $"has a window, horizon and columns (fields window, horizon, columns) that do not describe its {inputs} inputs");
        RequireScaling(Mean, Deviation, "mean", "deviation", source);
        RequireScaling(TargetMean, TargetDeviation, "targetMean", "targetDeviation", source);
        ReadEncoding(Encoding, FeatureNames ?? [], source, "field encoding");
    }

    /// <summary>
    /// The encoding <paramref name="records"/> describe, every column checked — a named number column with a finite fill
    /// or none, or a text column of 1 … 100 different categories — and its features against <paramref name="features"/>.
    /// </summary>
    /// <exception cref="DataFormatException">One is not; the message names <paramref name="where"/>.</exception>
    internal static FeatureEncoding? ReadEncoding(List<ColumnRecord>? records, IReadOnlyList<string> features, string source, string where)
    {
        int bad = records?.FindIndex(c => c is null || c.Name is null || (c.Categories is { } k && (k.Count is 0 or > FeatureEncoding.MaxCategories || k.Exists(t => t is null || t.Length > FeatureEncoding.MaxCategoryLength) || k.Distinct().Count() != k.Count))
            || (c.Fill is { } fill && (!double.IsFinite(fill) || c.Categories is not null))) ?? -1;
        ModelFile.Require(bad < 0, source, $"has an encoding whose column {bad + 1} is not a named number column (with a finite fill) or text column of 1 … {FeatureEncoding.MaxCategories} different categories ({where})");
        FeatureEncoding? encoding = records is null ? null : new FeatureEncoding([.. records.Select(c => new EncodedColumn(c.Name!, c.Categories, c.Fill))]);
        ModelFile.Require(encoding is null || encoding.FeatureNames.SequenceEqual(features), source, $"has an encoding whose features are not its feature names ({where})");
        return encoding;
    }

    /// <summary><paramref name="encoding"/> as the records a file keeps.</summary>
    internal static List<ColumnRecord>? Records(FeatureEncoding? encoding) =>
        encoding?.Columns.Select(c => new ColumnRecord { Name = c.Name, Categories = c.Categories?.ToList(), Fill = c.Fill }).ToList();

    /// <summary>One column of <see cref="Encoding"/>.</summary>
    internal sealed record ColumnRecord
    {
        public string? Name { get; init; }

        public List<string>? Categories { get; init; }

        public double? Fill { get; init; }
    }

    /// <summary>Finite means, and deviations that are finite and above 0 (dividing by 0 would make every prediction ±∞).</summary>
    private static void RequireScaling(List<double>? mean, List<double>? deviation, string meanField, string deviationField, string source)
    {
        int badMean = mean?.FindIndex(m => !double.IsFinite(m)) ?? -1;
        ModelFile.Require(badMean < 0, source, $"has a {meanField} that is not a finite number (field {meanField}, entry {badMean + 1})");
        int badDeviation = deviation?.FindIndex(d => !(double.IsFinite(d) && d > 0)) ?? -1;
        ModelFile.Require(badDeviation < 0, source, $"has a {deviationField} of {(badDeviation < 0 ? 0 : deviation![badDeviation])}, but a deviation is finite and above 0 (field {deviationField}, entry {badDeviation + 1})");
    }

    /// <summary>The widest layer a model file may claim.</summary>
    internal const int MaxWidth = 1_000_000;
}

/// <summary>Source-generated JSON for the header (no reflection at run time).</summary>
[JsonSerializable(typeof(ModelHeader))]
[JsonSerializable(typeof(List<ModelHeader.ColumnRecord>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ModelHeaderContext : JsonSerializerContext
{
}
