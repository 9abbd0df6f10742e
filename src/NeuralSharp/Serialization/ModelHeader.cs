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

    public List<double>? Mean { get; init; }

    public List<double>? Deviation { get; init; }

    public List<double>? TargetMean { get; init; }

    public List<double>? TargetDeviation { get; init; }

    public static ModelHeader From<T>(Model<T> model, string scalar)
        where T : unmanaged, IFloatingPointIeee754<T> => new()
        {
            Scalar = scalar,
            Layers = [.. model.Network.Layers.Select(LayerRecord.From)],
            Task = model.Task.ToString(),
            FeatureNames = [.. model.FeatureNames],
            ClassNames = model.ClassNames?.ToList(),
            TargetName = model.TargetName,
            Mean = model.Standardizer?.Mean.ToList(),
            Deviation = model.Standardizer?.Deviation.ToList(),
            TargetMean = model.TargetStandardizer?.Mean.ToList(),
            TargetDeviation = model.TargetStandardizer?.Deviation.ToList(),
        };

    public Model<T> Build<T>(ReadOnlySpan<byte> payload, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelFile.Require(Scalar is "float32" or "float64", source, $"stores weights as '{Scalar}', which is neither float32 nor float64");
        ModelFile.Require(Enum.TryParse(Task, out TaskKind task), source, $"names an unknown task '{Task}'");
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
            return new Model<T>(new Sequential<T>(layers), task, FeatureNames, ClassNames, TargetName, standardizer, targets);
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
        ModelFile.Require(Layers is { Count: > 0 } && Layers.TrueForAll(layer => layer is not null) && Layers[0].Type == "dense", source,
            "has no layers, an empty layer entry, or does not start with a dense layer");
        long claimed = 0;
        int width = Layers[0].Inputs, outputs = 0;
        foreach (LayerRecord layer in Layers)
        {
            if (layer.Type != "dense")
            {
                continue;
            }

            ModelFile.Require(layer.Inputs is > 0 and <= MaxWidth && layer.Outputs is > 0 and <= MaxWidth, source,
                $"has a dense layer '{layer.Name}' of {layer.Inputs}→{layer.Outputs} units (each side must be 1 … {MaxWidth:N0})");
            ModelFile.Require(layer.Inputs == width, source, $"has a dense layer '{layer.Name}' taking {layer.Inputs} inputs after a layer of {width}");
            claimed += (((long)layer.Inputs * layer.Outputs) + layer.Outputs) * size;
            ModelFile.Require(claimed <= payloadBytes, source, $"claims more weights (layer '{layer.Name}' and those before it: {claimed:N0} bytes) than the {payloadBytes:N0} bytes it holds");
            width = outputs = layer.Outputs;
        }

        ModelFile.Require(claimed == payloadBytes, source, $"holds {payloadBytes:N0} bytes of weights, but its layers need {claimed:N0}");
        ModelFile.Require(FeatureNames is not null && FeatureNames.Count == Layers[0].Inputs && FeatureNames.TrueForAll(name => name is not null), source,
            $"names {FeatureNames?.Count ?? 0} features for a network of {Layers[0].Inputs} inputs (field featureNames)");
        ModelFile.Require(ClassNames is null || (ClassNames.Count <= Dataset.MaxClasses && (ClassNames.Count == outputs || (outputs == 1 && ClassNames.Count == 2)) && ClassNames.TrueForAll(name => name is not null)), source,
            $"names {ClassNames?.Count} classes for a network of {outputs} outputs (field classNames)");
        ModelFile.Require(Mean is null || (Mean.Count == Layers[0].Inputs && Deviation?.Count == Mean.Count), source,
            $"has a standardizer of {Mean?.Count} means and {Deviation?.Count} deviations for {Layers[0].Inputs} inputs (fields mean, deviation)");
        ModelFile.Require(TargetMean is null || TargetDeviation?.Count == TargetMean.Count, source, "has target means and deviations of different lengths (fields targetMean, targetDeviation)");
    }

    /// <summary>The widest layer a model file may claim.</summary>
    private const int MaxWidth = 1_000_000;
}

/// <summary>One layer in the header: a dense layer's size, or an activation's name.</summary>
internal sealed record LayerRecord
{
    public string Type { get; init; } = "dense";

    public string Name { get; init; } = "";

    public int Inputs { get; init; }

    public int Outputs { get; init; }

    public string? Activation { get; init; }

    /// <summary>Leaky ReLU's slope for negative inputs (absent for other activations: the default 0.01 when read).</summary>
    public double? Alpha { get; init; }

    public static LayerRecord From<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> => layer switch
        {
            Dense<T> dense => new LayerRecord { Type = "dense", Name = dense.Name, Inputs = dense.Inputs, Outputs = dense.Outputs },
            ActivationLayer<T> activation when activation.Activation.GetType() == Activations.Activation.Create<T>(activation.Activation.Kind).GetType() => new LayerRecord
            {
                Type = "activation",
                Name = activation.Name,
                Activation = Activations.Activation.NameOf(activation.Activation.Kind),
                Alpha = activation.Activation is LeakyRelu<T> leaky ? double.CreateChecked(leaky.Alpha) : null,
            },
            ActivationLayer<T> activation => throw new NotSupportedException(
                $"The model file cannot store layer '{activation.Name}': its activation ({activation.Activation.GetType().Name}) is not one of the library's."),
            _ => throw new NotSupportedException($"The model file cannot store a layer of type {layer.GetType().Name}."),
        };

    public ILayer<T> Build<T>(ReadOnlySpan<byte> payload, ref int offset, int size, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Type == "activation")
        {
            ActivationKind kind = Activations.Activation.Parse(Activation ?? "");
            ModelFile.Require(Alpha is null || (kind == ActivationKind.LeakyRelu && double.IsFinite(Alpha.Value)), source, $"has a layer '{Name}' with a slope α that only a finite leaky ReLU takes");
            return Alpha is { } alpha ? new ActivationLayer<T>(new LeakyRelu<T>(alpha), Name) : new ActivationLayer<T>(kind, Name);
        }

        ModelFile.Require(Type == "dense" && Inputs > 0 && Outputs > 0, source, $"has a layer '{Name}' of unknown type '{Type}' or size {Inputs}→{Outputs}");
        var dense = new Dense<T>(Inputs, Outputs, Name);
        foreach (Parameter<T> parameter in dense.Parameters)
        {
            int bytes = parameter.Value.Length * size;
            ModelFile.Require(offset + bytes <= payload.Length, source, $"has fewer weights than its layer '{Name}' needs");
            Read(payload.Slice(offset, bytes), parameter.Value.AsSpan(), size);
            ModelFile.Require(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(parameter.Value.AsSpan()), source,
                $"holds weights that are not finite numbers in '{parameter.Name}' (a model saved after training diverged?)");
            offset += bytes;
        }

        return dense;
    }

    private static void Read<T>(ReadOnlySpan<byte> bytes, Span<T> values, int size)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (size == 4)
        {
            ReadOnlySpan<float> stored = MemoryMarshal.Cast<byte, float>(bytes);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateChecked(stored[i]);
            }
        }
        else
        {
            ReadOnlySpan<double> stored = MemoryMarshal.Cast<byte, double>(bytes);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateChecked(stored[i]);
            }
        }
    }
}

/// <summary>Source-generated JSON for the header (no reflection at run time).</summary>
[JsonSerializable(typeof(ModelHeader))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ModelHeaderContext : JsonSerializerContext
{
}
