using System.Numerics;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// Day 2's layers read back from ONNX, as <see cref="OnnxImageLayers"/> writes them and as <c>torch.onnx.export</c>
/// writes a plain convolutional network: the rows reshaped to <c>[batch, C, H, W]</c> (or an input of that shape),
/// <c>Conv</c> with square strides, equal pads, no dilation and one group, <c>MaxPool</c> without pads, and
/// <c>Flatten</c> back to rows, and batch normalisation at inference. Anything else about them is refused with the node's name.
/// </summary>
internal static class OnnxImageReader
{
    /// <summary>A layer read from a node, built in the model's scalar type once the whole chain is read.</summary>
    public abstract record Read(string Name, ImageShape Input) : IOnnxLayer
    {
        public abstract ImageShape Output { get; }

        public abstract ILayer<T> Build<T>()
            where T : unmanaged, IFloatingPointIeee754<T>;
    }

    public sealed record Conv(string Name, ImageShape Input, int Filters, int KernelHeight, int KernelWidth, int Stride, int Padding, double[] Weights, double[] Bias) : Read(Name, Input)
    {
        public override ImageShape Output => new(Filters, Im2Col.OutputSize(Input.Height, KernelHeight, Stride, Padding), Im2Col.OutputSize(Input.Width, KernelWidth, Stride, Padding));

        public override ILayer<T> Build<T>()
        {
            var conv = new Conv2D<T>(Input, Filters, KernelHeight, KernelWidth, Stride, Padding, Name);
            // ONNX's W is [F, C·KH·KW], the library's its transpose
            ModelFile.Transposed<T>([.. Weights.Select(T.CreateChecked)], Filters, conv.Taps).CopyTo(conv.Weights.Value.AsSpan());
            Bias.Select(T.CreateChecked).ToArray().CopyTo(conv.Bias.Value.AsSpan());
            return conv;
        }
    }

    public sealed record Pool(string Name, ImageShape Input, int Size, int Stride) : Read(Name, Input)
    {
        public override ImageShape Output => new(Input.Channels, Im2Col.OutputSize(Input.Height, Size, Stride, 0), Im2Col.OutputSize(Input.Width, Size, Stride, 0));

        public override ILayer<T> Build<T>() => new MaxPool2D<T>(Input, Size, Stride, Name);
    }

    public sealed record Rows(string Name, ImageShape Input) : Read(Name, Input)
    {
        public override ImageShape Output => Input;

        public override ILayer<T> Build<T>() => new Flatten<T>(Input, Name);
    }

    /// <summary>
    /// A batch normalisation at inference: each feature of rows or each channel of images with its own statistics
    /// (<c>BatchNormalization</c>, as PyTorch's BatchNorm1d and BatchNorm2d export), or each value of images (NeuralSharp's
    /// older per-value form, written as Sub, Mul, Add: its scale γ/√(σ² + ε) is read back as γ over a variance of 1 − ε).
    /// </summary>
    public sealed record Normalization(string Name, ImageShape? Image, int Features, double Momentum, double Epsilon, double[] Gamma, double[] Beta, double[] Mean, double[] Variance) : IOnnxLayer
    {
        public ILayer<T> Build<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            BatchNorm<T> norm = Image is { } image ? new BatchNorm<T>(image, Momentum, Epsilon, Name) : new BatchNorm<T>(Features, Momentum, Epsilon, Name);
            Fill(norm.Gamma.Value.AsSpan(), Gamma);
            Fill(norm.Beta.Value.AsSpan(), Beta);
            Fill(norm.RunningMean.AsSpan(), Mean);
            Fill(norm.RunningVariance.AsSpan(), Variance);
            return norm;
        }

        private static void Fill<T>(Span<T> target, double[] values)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < target.Length; i++)
            {
                target[i] = T.CreateChecked(values[i]);
            }
        }
    }

    /// <summary><c>BatchNormalization(x, scale, B, mean, var)</c> at inference, on rows of <paramref name="width"/> features or on images.</summary>
    public static Normalization ReadBatchNorm(OnnxGraph graph, NodeProto node, string name, string layer, List<string> others, string current, ImageShape? image, int width)
    {
        graph.Require(node.Input.Count == 5 && node.Input[0] == current && others.Count == 4, $"has node {name}, a BatchNormalization that does not read the chain's value, then scale, B, mean and var");
        graph.Require(node.Output.Skip(1).All(output => output.Length == 0) && (Longs(node, "training_mode") ?? [0])[0] == 0 && (Longs(node, "spatial") ?? [1])[0] == 1,
            $"has node {name}, a BatchNormalization in training mode (or not spatial); the import takes one at inference");
        AttributeProto? given = node.Attribute.FirstOrDefault(a => a.Name == "epsilon"), moving = node.Attribute.FirstOrDefault(a => a.Name == "momentum");
        double epsilon = given?.F ?? 1e-5, momentum = moving?.F ?? 0.9;
        graph.Require(epsilon is > 0 and < 1 && momentum is >= 0 and <= 1, $"has node {name}, a BatchNormalization with epsilon {epsilon} or momentum {momentum} (it takes ε in (0, 1), momentum in [0, 1])");
        int channels = image?.Channels ?? width;
        double[][] values = [.. others.Zip(["scale", "B", "mean", "var"], (value, what) => graph.Vector(value, channels, name, what))];
        channels = values[0].Length;
        graph.Require(values.All(v => v.Length == channels) && Array.TrueForAll(values[3], v => v >= 0), $"has node {name}, a BatchNormalization whose scale, B, mean and var are not {channels} values each with var ≥ 0");
        return new Normalization(layer, image, image?.Size ?? channels, momentum, epsilon, values[0], values[1], values[2], values[3]);
    }

    /// <summary>One of the per-value form's constants: <c>[C, H, W]</c> (or <c>[1, C, H, W]</c>) values of the images.</summary>
    public static double[] Values(OnnxGraph graph, string constant, string name, ImageShape image)
    {
        (double[] values, long[] dims) = graph.Decode(constant);
        graph.Require(dims.SkipWhile(d => d == 1).Count() <= 3 && values.Length == image.Size && (dims.Length < 3 || dims.AsSpan(dims.Length - 3).SequenceEqual([image.Channels, image.Height, image.Width])),
            $"has node {name} whose constant '{ModelFile.Excerpt(constant)}' of shape [{string.Join(", ", dims)}] is not [{image.Channels}, {image.Height}, {image.Width}]: on images the import takes batch normalisation's Sub, Mul and Add of such constants");
        return values;
    }

    /// <summary>The per-value form read back: x̂ = (x − μ)·1/√((1 − ε) + ε), y = scale·x̂ + β.</summary>
    public static Normalization PerValue(string layer, ImageShape image, double[] mean, double[] scale, double[] shift)
    {
        const double epsilon = 1e-5;
        return new Normalization(layer, null, image.Size, 0.9, epsilon, scale, shift, mean, [.. Enumerable.Repeat(1 - epsilon, image.Size)]);
    }

    /// <summary>Reshape's shape <c>[-1 or 0, C, H, W]</c>: rows of <paramref name="width"/> values as images.</summary>
    public static ImageShape Images(OnnxGraph graph, string shape, string name, int width)
    {
        long[] dims = graph.Integers(shape, name, most: 4);
        graph.Require(dims.Length == 4 && dims[0] is -1 or 0 && dims[1..].All(d => d is > 0 and <= int.MaxValue) && (double)dims[1] * dims[2] * dims[3] <= int.MaxValue / 8
            && (width < 0 || dims[1] * dims[2] * dims[3] == width),
            $"has node {name}, a Reshape to [{string.Join(", ", dims)}]; the import takes rows of C·H·W values reshaped to [-1, C, H, W]{(width < 0 ? "" : $" ({width} values a row)")}");
        return new ImageShape((int)dims[1], (int)dims[2], (int)dims[3]);
    }

    public static Conv ReadConv(OnnxGraph graph, NodeProto node, string name, string layer, List<string> others, ImageShape image)
    {
        graph.Require(others.Count is 1 or 2 && node.Input.Count >= 2 && node.Input[1] == others[0], $"has node {name}, a Conv whose filters are not its second input");
        (double[] w, long[] dims) = graph.Decode(others[0]);
        graph.Require(dims.Length == 4 && dims.All(d => d > 0) && dims[1] == image.Channels,
            $"has node {name}, a Conv whose filters are [{string.Join(", ", dims)}] for images of {image.Channels} channels (it takes [F, {image.Channels}, KH, KW])");
        (int filters, int kh, int kw) = ((int)dims[0], (int)dims[2], (int)dims[3]);
        Plain(graph, node, name, "Conv", [kh, kw]);
        graph.Require(Longs(node, "group") is null or [1], $"has node {name}, a grouped Conv; the import takes one group");
        int stride = Square(graph, node, name, "strides", 1);
        long[] pads = Longs(node, "pads") ?? [0, 0, 0, 0];
        graph.Require(pads.Length == 4 && pads.All(p => p == pads[0]) && pads[0] is >= 0 and <= 1_000, $"has node {name}, a Conv padded by [{string.Join(", ", pads)}]; the import takes the same padding on every side");
        int padding = (int)pads[0];
        graph.Require(kh <= image.Height + (2 * padding) && kw <= image.Width + (2 * padding), $"has node {name}, a {kh}×{kw} Conv on {image.Height}×{image.Width} images padded by {padding}");
        double[] bias = others.Count == 2 ? graph.Vector(others[1], filters, name, "bias") : new double[filters];
        return new Conv(layer, image, filters, kh, kw, stride, padding, w, bias);
    }

    public static Pool ReadMaxPool(OnnxGraph graph, NodeProto node, string name, string layer, ImageShape image)
    {
        long[] kernel = Longs(node, "kernel_shape") ?? [];
        graph.Require(kernel is [> 0, > 0] && kernel[0] == kernel[1] && kernel[0] <= Math.Min(image.Height, image.Width),
            $"has node {name}, a MaxPool over [{string.Join(", ", kernel)}] on {image.Height}×{image.Width} images; the import takes a square window that fits");
        Plain(graph, node, name, "MaxPool", kernel);
        graph.Require((Longs(node, "pads") ?? [0]).All(p => p == 0) && (Longs(node, "ceil_mode") ?? [0])[0] == 0 && (Longs(node, "storage_order") ?? [0])[0] == 0,
            $"has node {name}, a MaxPool with padding, ceil_mode or storage_order; the import takes none");
        // ONNX's strides default to 1, not to the window
        return new Pool(layer, image, (int)kernel[0], Square(graph, node, name, "strides", 1));
    }

    /// <summary>No dilation, no automatic padding, and a kernel_shape (when given) equal to <paramref name="kernel"/>.</summary>
    private static void Plain(OnnxGraph graph, NodeProto node, string name, string op, long[] kernel)
    {
        graph.Require((Longs(node, "dilations") ?? [1]).All(d => d == 1), $"has node {name}, a dilated {op}; the import takes dilation 1");
        string pad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        graph.Require(pad is "NOTSET" or "VALID", $"has node {name}, a {op} with auto_pad {ModelFile.Excerpt(pad)}; the import takes explicit pads");
        graph.Require(Longs(node, "kernel_shape") is not { } shape || shape.SequenceEqual(kernel), $"has node {name}, a {op} whose kernel_shape does not match its filters");
    }

    private static int Square(OnnxGraph graph, NodeProto node, string name, string attribute, int fallback)
    {
        long[] values = Longs(node, attribute) ?? [fallback, fallback];
        graph.Require(values is [> 0 and <= 1_000, _] && values[1] == values[0], $"has node {name} with {attribute} [{string.Join(", ", values)}]; the import takes the same positive value in both directions");
        return (int)values[0];
    }

    private static long[]? Longs(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } found ? found.Ints.Count > 0 ? [.. found.Ints] : [found.I] : null;
}
