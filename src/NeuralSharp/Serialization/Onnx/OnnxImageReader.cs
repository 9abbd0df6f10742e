using System.Numerics;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// Day 2's layers read back from ONNX, as <see cref="OnnxImageLayers"/> writes them and as <c>torch.onnx.export</c>
/// writes a plain convolutional network: the rows reshaped to <c>[batch, C, H, W]</c> (or an input of that shape),
/// <c>Conv</c> with square strides, equal pads, no dilation and one group, <c>MaxPool</c> without pads, and
/// <c>Flatten</c> back to rows. Anything else about them is refused with the node's name.
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
