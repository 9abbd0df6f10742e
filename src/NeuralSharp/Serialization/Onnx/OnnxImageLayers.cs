using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// Day 2's layers as ONNX nodes: the input rows reshaped to <c>[batch, C, H, W]</c>, <c>Conv</c> (W as ONNX's
/// <c>[F, C, KH, KW]</c>, the transpose of the library's <c>[C·KH·KW, F]</c>), <c>MaxPool</c>, <c>Flatten</c> (the same
/// [C, H, W] order the library's rows have), and batch normalisation at inference — <c>BatchNormalization</c> on rows
/// and on images normalised per channel, or, over images normalised per value (model files written before batch
/// normalisation went per channel), <c>(x − μ)·γ/√(σ² + ε) + β</c> with <c>[C, H, W]</c> constants.
/// </summary>
internal static class OnnxImageLayers
{
    public static string Reshape(GraphProto graph, string input, string output, ImageShape image)
    {
        var shape = new TensorProto { Name = "images.shape", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 4 } };
        shape.Int64Data.Add([-1, image.Channels, image.Height, image.Width]);
        graph.Initializer.Add(shape);
        graph.Node.Add(new NodeProto { OpType = "Reshape", Name = "images", Input = { input, shape.Name }, Output = { output } });
        return output;
    }

    public static string Conv<T>(GraphProto graph, Conv2D<T> conv, string name, string input, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] filters = ModelFile.Transposed<T>(conv.Weights.Value.AsSpan(), conv.Taps, conv.Filters);
        string w = OnnxWriter.NDArray<T>(graph, $"{name}.W", filters, conv.Filters, conv.Input.Channels, conv.KernelHeight, conv.KernelWidth);
        string b = OnnxWriter.NDArray<T>(graph, $"{name}.b", conv.Bias.Value.AsSpan(), conv.Filters);
        graph.Node.Add(new NodeProto
        {
            OpType = "Conv", Name = name, Input = { input, w, b }, Output = { output },
            Attribute = { Ints("kernel_shape", conv.KernelHeight, conv.KernelWidth), Ints("strides", conv.Stride, conv.Stride), Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding) },
        });
        return output;
    }

    public static string MaxPool<T>(GraphProto graph, MaxPool2D<T> pool, string name, string input, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        graph.Node.Add(new NodeProto
        {
            OpType = "MaxPool", Name = name, Input = { input }, Output = { output },
            Attribute = { Ints("kernel_shape", pool.Size, pool.Size), Ints("strides", pool.Stride, pool.Stride) },
        });
        return output;
    }

    public static string Flatten(GraphProto graph, string name, string input, string output)
    {
        graph.Node.Add(new NodeProto { OpType = "Flatten", Name = name, Input = { input }, Output = { output }, Attribute = { new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 } } });
        return output;
    }

    public static string BatchNorm<T>(GraphProto graph, BatchNorm<T> norm, string name, string input, string output, ImageShape? image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (image is not { } shape || norm.Image is not null)
        {
            // ONNX normalises axis 1: the features of [batch, F], the channels of [batch, C, H, W]
            string[] inputs = [input, OnnxWriter.NDArray<T>(graph, $"{name}.gamma", norm.Gamma.Value.AsSpan(), norm.Channels),
                OnnxWriter.NDArray<T>(graph, $"{name}.beta", norm.Beta.Value.AsSpan(), norm.Channels),
                OnnxWriter.NDArray<T>(graph, $"{name}.running_mean", norm.RunningMean.AsSpan(), norm.Channels),
                OnnxWriter.NDArray<T>(graph, $"{name}.running_var", norm.RunningVariance.AsSpan(), norm.Channels)];
            graph.Node.Add(new NodeProto
            {
                OpType = "BatchNormalization", Name = name, Input = { inputs }, Output = { output },
                Attribute =
                {
                    new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)norm.Epsilon },
                    new AttributeProto { Name = "momentum", Type = AttributeProto.Types.AttributeType.Float, F = (float)norm.Momentum },
                },
            });
            return output;
        }

        // per value of [C, H, W]: the constants broadcast over the batch
        (long c, long h, long w) = (shape.Channels, shape.Height, shape.Width);
        var scale = new T[norm.Features];
        for (int j = 0; j < scale.Length; j++)
        {
            scale[j] = norm.Gamma.Value[j] / T.Sqrt(norm.RunningVariance[j] + T.CreateChecked(norm.Epsilon));
        }

        string mean = OnnxWriter.NDArray<T>(graph, $"{name}.running_mean", norm.RunningMean.AsSpan(), c, h, w);
        string factor = OnnxWriter.NDArray<T>(graph, $"{name}.scale", scale, c, h, w);
        string shift = OnnxWriter.NDArray<T>(graph, $"{name}.beta", norm.Beta.Value.AsSpan(), c, h, w);
        graph.Node.Add(new NodeProto { OpType = "Sub", Name = $"{name}.center", Input = { input, mean }, Output = { $"{output}.centered" } });
        graph.Node.Add(new NodeProto { OpType = "Mul", Name = $"{name}.scale", Input = { $"{output}.centered", factor }, Output = { $"{output}.scaled" } });
        graph.Node.Add(new NodeProto { OpType = "Add", Name = name, Input = { $"{output}.scaled", shift }, Output = { output } });
        return output;
    }

    internal static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
