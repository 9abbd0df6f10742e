using System.Numerics;
using System.Text.Json.Serialization;
using Google.Protobuf;
using NeuralSharp.Data;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// ONNX files: a model written for ONNX Runtime, PyTorch or any other ONNX consumer (<see cref="Save{T}"/>), and an
/// MLP read from one as PyTorch's <c>torch.onnx.export</c> or tf2onnx write them (<see cref="Load{T}"/>), so that it can
/// be traced, checked and trained further here.
/// </summary>
public static class OnnxFile
{
    /// <summary>The ONNX operator set the export uses (ONNX Runtime 1.31 runs 7 … 23).</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with <see cref="Opset"/>.</summary>
    public const int IrVersion = 8;

    /// <summary>The oldest and newest operator sets an import accepts.</summary>
    public const int MinOpset = 7, MaxOpset = 23;

    /// <summary>The opset a network with GELU is written in: ONNX's <c>Gelu</c> operator is there from opset 20.</summary>
    public const int GeluOpset = 20;

    /// <summary>The IR version that goes with <see cref="GeluOpset"/>.</summary>
    public const int GeluIrVersion = 9;

    internal const string TaskKey = "neuralsharp.task", FeaturesKey = "neuralsharp.features", ClassesKey = "neuralsharp.classes", TargetKey = "neuralsharp.target", ScalingKey = "neuralsharp.scaling", ConfigurationKey = "neuralsharp.config", WindowsKey = "neuralsharp.windows", EncodingKey = "neuralsharp.encoding";

    /// <summary>The model as the bytes of an ONNX file.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX form yet.</exception>
    public static byte[] Serialize<T>(Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return OnnxWriter.Write(model).ToByteArray();
    }

    /// <summary>Writes the model as an ONNX file, atomically; a model with a non-finite weight is not written.</summary>
    /// <exception cref="NonFiniteValueException">A weight is NaN or infinite.</exception>
    public static void Save<T>(string path, Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelFile.Write(path, model, Serialize);
    }

    /// <summary>Reads an MLP from an ONNX file, its weights converted to <typeparamref name="T"/>.</summary>
    /// <exception cref="DataFormatException">The file is not ONNX, is damaged, or holds a graph that is not an MLP this library can run (the message names the node).</exception>
    public static Model<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        return Deserialize<T>(ModelFile.Read(path, "ONNX file"), Path.GetFileName(path));
    }

    /// <summary>Reads an MLP from the bytes of an ONNX file; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">See <see cref="Load{T}"/>.</exception>
    public static Model<T> Deserialize<T>(byte[] bytes, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        ModelFile.Require(bytes.Length <= ModelFile.MaxBytes, source, $"is {bytes.Length:N0} bytes; an ONNX import reads at most {ModelFile.MaxBytes:N0}");
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new DataFormatException($"{source} is not an ONNX file or is damaged: {error.Message.TrimEnd('.')}.", error);
        }

        return OnnxReader.Read<T>(proto, source);
    }
}

/// <summary>Source-generated JSON for the names kept in an ONNX file's metadata.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(OnnxScaling))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class OnnxJson : JsonSerializerContext
{
}

/// <summary>
/// The standardizers' exact float64 values, kept in the metadata beside the graph's constants (which a float32 graph
/// rounds): an import that finds them matching the graph uses them, so export → import is the same model bit for bit.
/// </summary>
internal sealed record OnnxScaling(double[]? Mean, double[]? Deviation, double[]? TargetMean, double[]? TargetDeviation)
{
    /// <summary>The exact values if they round to the graph's, else the graph's own.</summary>
    public static double[]? Exact(double[]? exact, double[]? graph, bool single) =>
        exact is not null && graph is not null && exact.Length == graph.Length
        && exact.Select((value, i) => (single ? (double)(float)value : value) == graph[i]).All(same => same) ? exact : graph;
}
