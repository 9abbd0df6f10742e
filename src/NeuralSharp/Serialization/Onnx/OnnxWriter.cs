using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// A model as an ONNX graph. The input <c>input [batch, features]</c> (raw data) runs through
/// <code>
/// Sub(μ), Div(σ)           the standardizer, if the model has one: x' = (x − μ) / σ
/// Gemm(W, b)               each dense layer: u = x'W + b
/// Relu | Sigmoid | …       each activation: z = f(u); the step as Greater(u, 0) + Cast (0 at 0, like the course)
/// Mul(σ), Add(μ)           the target standardizer of a regression, if any: y = y'σ + μ
/// </code>
/// to <c>output [batch, outputs]</c>, in the model's own scalar type, with the task, feature and class names as
/// metadata (<c>neuralsharp.*</c>), so that a file read back by <see cref="OnnxReader"/> is the same model.
/// </summary>
internal static class OnnxWriter
{
    public static ModelProto Write<T>(Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int type = ElementType<T>();
        var graph = new GraphProto { Name = "neuralsharp" };
        string current = "input";
        graph.Input.Add(Value("input", type, model.Network.InputWidth));
        int step = 0;
        string Next(string name) => $"{name}:{++step}";

        if (model.Standardizer is { } standardizer)
        {
            current = Binary(graph, "Sub", current, Constant<T>(graph, "standardizer.mean", standardizer.Mean), Next("standardized.centered"), "standardize.sub");
            current = Binary(graph, "Div", current, Constant<T>(graph, "standardizer.deviation", standardizer.Deviation), Next("standardized"), "standardize.div");
        }

        ImageShape? image = model.Network.Layers[0] switch { Conv2D<T> c => c.Input, MaxPool2D<T> p => p.Input, BatchNorm<T> { Image: { } i } => i, _ => null };
        if (image is { } first)
        {
            // rows of C·H·W values become the [batch, C, H, W] images the convolutions take
            current = OnnxImageLayers.Reshape(graph, current, Next("images"), first);
        }

        for (int index = 0; index < model.Network.Layers.Count; index++)
        {
            ILayer<T> layer = model.Network.Layers[index];
            string name = string.IsNullOrEmpty(layer.Name) ? $"layer{index}" : layer.Name;
            image = layer switch { Conv2D<T> c => c.Output, MaxPool2D<T> p => p.Output, Flatten<T> or Dense<T> => null, _ => image };
            current = layer switch
            {
                Dense<T> dense => Gemm(graph, dense, name, current, Next($"{name}.u")),
                ActivationLayer<T> activation => Activation(graph, activation.Activation, name, current, Next($"{name}.z"), type),
                Conv2D<T> conv => OnnxImageLayers.Conv(graph, conv, name, current, Next($"{name}.u")),
                MaxPool2D<T> pool => OnnxImageLayers.MaxPool(graph, pool, name, current, Next($"{name}.z")),
                Flatten<T> => OnnxImageLayers.Flatten(graph, name, current, Next($"{name}.rows")),
                BatchNorm<T> norm => OnnxImageLayers.BatchNorm(graph, norm, name, current, Next($"{name}.y"), image),
                RecurrentLayer<T> recurrent => OnnxRecurrentLayers.Recurrent(graph, recurrent, name, current, Next($"{name}.h")),
                Bidirectional<T> both => OnnxRecurrentLayers.Recurrent(graph, both.Forwards, name, current, Next($"{name}.h"), both.Backwards),
                Embedding<T> embedding => OnnxRecurrentLayers.Embedding(graph, embedding, name, current, Next($"{name}.vectors")),
                TimeDistributedDense<T> perStep => OnnxRecurrentLayers.TimeDistributed(graph, perStep, name, current, Next($"{name}.u")),
                // dropout is the identity at inference
                Dropout<T> => current,
                _ => throw new NotSupportedException($"ONNX export cannot write layer '{name}' ({layer.GetType().Name.Split('`')[0]})."),
            };
        }

        if (model.TargetStandardizer is { } targets)
        {
            current = Binary(graph, "Mul", current, Constant<T>(graph, "target.deviation", targets.Deviation), Next("target.scaled"), "unstandardize.mul");
            current = Binary(graph, "Add", current, Constant<T>(graph, "target.mean", targets.Mean), Next("target"), "unstandardize.add");
        }

        // the last value becomes the graph's output
        graph.Node[^1].Output[0] = "output";
        graph.Output.Add(Value("output", type, model.Network.OutputWidth));
        // ONNX has GELU as one operator from opset 20 on; a network without it stays readable by older runtimes
        bool gelu = model.Network.Layers.OfType<ActivationLayer<T>>().Any(a => NeuralSharp.Activations.Activation.Info(a.Activation.Kind).OnnxOp == "Gelu");
        var proto = new ModelProto
        {
            IrVersion = gelu ? OnnxFile.GeluIrVersion : OnnxFile.IrVersion,
            ProducerName = "NeuralSharp",
            ProducerVersion = typeof(OnnxWriter).Assembly.GetName().Version?.ToString(3) ?? "0",
            Graph = graph,
            DocString = "Exported by NeuralSharp: raw features in, " + (model.Task == TaskKind.Regression ? "predicted values" : "class probabilities") + " out.",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = gelu ? OnnxFile.GeluOpset : OnnxFile.Opset });
        Metadata(proto, OnnxFile.TaskKey, model.Task.ToString());
        Metadata(proto, OnnxFile.FeaturesKey, JsonSerializer.Serialize(model.FeatureNames, OnnxJson.Default.IReadOnlyListString));
        Metadata(proto, OnnxFile.TargetKey, model.TargetName);
        if (model.Configuration is { } configuration)
        {
            Metadata(proto, OnnxFile.ConfigurationKey, configuration);
        }

        if (model.Windows is { } windows)
        {
            // a series model's inputs are a window of rows: how to cut them travels with the file
            Metadata(proto, OnnxFile.WindowsKey, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["window"] = windows.Window, ["horizon"] = windows.Horizon, ["columns"] = windows.Columns,
            }));
        }
        if (model.Encoding is { } encoding)
        {
            // a CSV's text columns and gaps become the graph's inputs as the model was trained on them: the import restores it
            Metadata(proto, OnnxFile.EncodingKey, JsonSerializer.Serialize(ModelHeader.Records(encoding), ModelHeaderContext.Default.ListColumnRecord));
        }

        if (model.Standardizer is not null || model.TargetStandardizer is not null)
        {
            Metadata(proto, OnnxFile.ScalingKey, JsonSerializer.Serialize(
                new OnnxScaling([.. model.Standardizer?.Mean ?? []], [.. model.Standardizer?.Deviation ?? []], [.. model.TargetStandardizer?.Mean ?? []], [.. model.TargetStandardizer?.Deviation ?? []]),
                OnnxJson.Default.OnnxScaling));
        }

        if (model.ClassNames is { } classes)
        {
            Metadata(proto, OnnxFile.ClassesKey, JsonSerializer.Serialize(classes, OnnxJson.Default.IReadOnlyListString));
        }

        return proto;
    }

    private static string Gemm<T>(GraphProto graph, Dense<T> dense, string name, string input, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string weights = NDArray<T>(graph, $"{name}.W", dense.Weights.Value.AsSpan(), dense.Inputs, dense.Outputs);
        string bias = NDArray<T>(graph, $"{name}.b", dense.Bias.Value.AsSpan(), dense.Outputs);
        var node = new NodeProto { OpType = "Gemm", Name = name, Input = { input, weights, bias }, Output = { output } };
        graph.Node.Add(node);
        return output;
    }

    private static string Activation<T>(GraphProto graph, IActivation<T> activation, string name, string input, string output, int type)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var node = new NodeProto { Name = name, Input = { input }, Output = { output } };
        ActivationInfo info = NeuralSharp.Activations.Activation.Info(activation.Kind);
        switch (info.OnnxOp)
        {
            case "Greater+Cast":
                // f(u) = 1 if u > 0 else 0: a comparison, then the boolean as a number
                string zero = NDArray<T>(graph, $"{name}.zero", [T.Zero]);
                graph.Node.Add(new NodeProto { OpType = "Greater", Name = $"{name}.greater", Input = { input, zero }, Output = { $"{output}.positive" } });
                node.OpType = "Cast";
                node.Input[0] = $"{output}.positive";
                node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = type });
                break;
            case "Sigmoid+Mul":
                // u·σ(u): the sigmoid, then the product with its own input (PyTorch's export of nn.SiLU)
                graph.Node.Add(new NodeProto { OpType = "Sigmoid", Name = $"{name}.sigmoid", Input = { input }, Output = { $"{output}.sigmoid" } });
                node.OpType = "Mul";
                node.Input.Add($"{output}.sigmoid");
                break;
            default:
                node.OpType = info.OnnxOp;
                if (activation is LeakyRelu<T> leaky)
                {
                    node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = float.CreateChecked(leaky.Alpha) });
                }

                if (info.OnnxOp == "Softmax")
                {
                    node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                }

                if (info.OnnxAttribute is { } attribute)
                {
                    node.Attribute.Add(new AttributeProto { Name = attribute.Name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(attribute.Value) });
                }

                break;
        }

        graph.Node.Add(node);
        return output;
    }

    private static string Binary(GraphProto graph, string op, string input, string constant, string output, string name)
    {
        graph.Node.Add(new NodeProto { OpType = op, Name = name, Input = { input, constant }, Output = { output } });
        return output;
    }

    private static string Constant<T>(GraphProto graph, string name, IReadOnlyList<double> values)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        NDArray<T>(graph, name, values.Select(T.CreateChecked).ToArray(), values.Count);

    /// <summary>Adds an initializer (raw little-endian bytes, row-major) and returns its name.</summary>
    internal static string NDArray<T>(GraphProto graph, string name, ReadOnlySpan<T> values, params long[] dims)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = new TensorProto { Name = name, DataType = ElementType<T>(), RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A graph input or output of shape <c>[batch, width]</c>, the batch left free.</summary>
    private static ValueInfoProto Value(string name, int type, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } } };
    }

    private static void Metadata(ModelProto proto, string key, string value) =>
        proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });

    internal static int ElementType<T>() =>
        (int)(typeof(T) == typeof(float) ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Double);
}
