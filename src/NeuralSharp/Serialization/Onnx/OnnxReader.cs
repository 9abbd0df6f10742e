using System.Buffers.Binary;
using System.Numerics;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// A network read back from an ONNX graph: an MLP, or a convolutional network (see <see cref="OnnxImageReader"/>). The graph must be one chain from its single input to its single output, each
/// node reading the value before it and otherwise only constants (initializers or <c>Constant</c> nodes):
/// <code>
/// Sub, Div                     before the first layer: the standardizer (x − μ) / σ
/// Gemm | MatMul [+ Add]        a dense layer (Gemm with any transB, alpha and beta; MatMul alone has no bias)
/// Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Identity, Gelu (opset 20), Greater(0) + Cast (the step), Sigmoid + Mul(u, σ(u)) (SiLU)   an activation
/// Reshape, Conv, MaxPool, Flatten   rows to images, convolutions and pooling, and back to rows
/// BatchNormalization           batch normalisation at inference, on rows or images (or Sub, Mul, Add of [C, H, W] constants on images)
/// Reshape, Transpose, RNN | LSTM | GRU   recurrent layers and dense layers at every step (see <see cref="OnnxRecurrentReader"/>)
/// Flatten (on rows), Dropout   nothing at inference
/// Mul, Add                     after the last layer: a regression's target scale y·σ + μ
/// </code>
/// Anything else is refused with the node's name and op type. Every size a tensor claims is checked against its bytes
/// and the library's parameter budget before anything is allocated from it.
/// </summary>
internal sealed partial class OnnxReader
{
    private static readonly string[] Supported = ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Identity", "Gelu", "Greater", "Cast", "Flatten", "Dropout", "Constant", "Reshape", "Conv", "MaxPool", "BatchNormalization", "Transpose", "RNN", "LSTM", "GRU"];

    private readonly string _source;
    private OnnxGraph _graph = null!;

    private OnnxReader(string source) => _source = source;

    private sealed record Function(string Name, ActivationKind Kind, double? Alpha = null, string? Input = null);

    public static Model<T> Read<T>(ModelProto proto, string source)
        where T : unmanaged, IFloatingPointIeee754<T> => new OnnxReader(source).Build<T>(proto);

    private Model<T> Build<T>(ModelProto proto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GraphProto graph = proto.Graph ?? throw Error("has no graph (is it an ONNX model file?)");
        int opset = Opset(proto);
        _graph = new OnnxGraph(graph, _source);
        ValueInfoProto input = _graph.Input;
        int width = _graph.Width;
        Require(graph.Output.Count == 1, $"has {graph.Output.Count} outputs; an MLP has one");

        var layers = new List<object>(); // Dense, Function, or an image or recurrent layer (IOnnxLayer)
        ImageShape? image = _graph.InputImage;
        double[]? mean = null, deviation = null, targetScale = null, targetShift = null;
        string current = input.Name;
        bool stepPending = false;
        // the per-value batch normalisation over images read so far: its Sub's μ, then its Mul's scale
        var perValue = new List<double[]>();
        var recurrent = new OnnxRecurrentReader(_graph);
        foreach (NodeProto node in _graph.Nodes)
        {
            string name = OnnxGraph.Describe(node);
            Require(node.Domain is "" or "ai.onnx" && node.Output.Count >= 1 && node.Output[0].Length > 0, $"has node {name} from the operator domain '{node.Domain}' or without an output, which an import does not take");
            OnnxAttributes.Check(_graph, node, name);
            if (image is null && recurrent.Take(node, name, ref current, ref width, layers, Layer))
            {
                continue;
            }

            Require(Array.IndexOf(Supported, node.OpType) >= 0,
                $"has node {name}, an operator the import does not take (it takes {string.Join(", ", Supported)})");
            // u·σ(u): the sigmoid before it, times its own input, is SiLU (PyTorch's export of nn.SiLU)
            if (node.OpType == "Mul" && layers.Count > 0 && layers[^1] is Function { Kind: ActivationKind.Sigmoid, Input: { } sigmoidInput } sigmoid
                && node.Input.Count == 2 && node.Input.Contains(current) && node.Input.Contains(sigmoidInput) && sigmoidInput != current)
            {
                layers[^1] = new Function(sigmoid.Name, ActivationKind.Silu);
                current = node.Output[0];
                continue;
            }

            Require(layers.Count > 0 || node.OpType is not ("Relu" or "Sigmoid" or "Tanh" or "LeakyRelu" or "Softmax" or "Gelu" or "Greater" or "Cast"),
                $"has node {name}, an activation before any layer with weights: an imported network starts with its first Gemm, MatMul, Conv, RNN, LSTM or GRU");
            List<string> others = _graph.Operands(node, current, name);
            Require(!stepPending || node.OpType == "Cast", $"has node {name} after a Greater that is not followed by a Cast (the step is Greater(u, 0) + Cast)");
            Require(perValue.Count == 0 || node.OpType == (perValue.Count == 1 ? "Mul" : "Add"), $"has node {name} inside a batch normalisation over images (Sub, Mul, Add)");
            Require(targetScale is null || node.OpType is "Add" or "Identity" or "Dropout",
                $"has node {name} after the target scale (Mul): a Mul and an Add are taken only after the last layer");
            Require(image is null || node.OpType is not ("Gemm" or "MatMul"), $"has node {name}, a dense layer on images: a Flatten comes first");
            switch (node.OpType)
            {
                case "Reshape":
                    Require(image is null && layers.Count == 0 && node.Input[0] == current && others.Count == 1, $"has node {name}, a Reshape other than rows to images before the first layer");
                    image = OnnxImageReader.Images(_graph, others[0], name, width);
                    break;
                case "Conv" or "MaxPool":
                    Require(image is not null, $"has node {name}, a {node.OpType} on rows: it takes images (a [batch, C, H, W] input, or a Reshape to one)");
                    layers.Add(node.OpType == "Conv" ? OnnxImageReader.ReadConv(_graph, node, name, Layer(node), others, image!.Value) : OnnxImageReader.ReadMaxPool(_graph, node, name, Layer(node), image!.Value));
                    image = ((OnnxImageReader.Read)layers[^1]).Output;
                    width = image.Value.Size;
                    break;
                case "Flatten" when image is { } flattened:
                    Require(Attribute(node, "axis", 1L) == 1, $"has node {name}, a Flatten over axis {Attribute(node, "axis", 1L)}; the import flattens each image to one row (axis 1)");
                    layers.Add(new OnnxImageReader.Rows(Layer(node), flattened));
                    image = null;
                    break;
                case "Gemm":
                    Require(Attribute(node, "transA", 0L) == 0, $"has node {name}, a Gemm that transposes its data input (transA = 1): not a dense layer");
                    layers.Add(Gemm(node, name, others, width));
                    width = ((Dense)layers[^1]).Outputs;
                    break;
                case "MatMul":
                    Require(node.Input[0] == current && others.Count == 1, $"has node {name}, a MatMul whose data is not its first input and weight its second");
                    (double[] w, long[] dims) = _graph.Matrix(others[0], name);
                    Require(width < 0 || dims[0] == width, $"has node {name} whose weight is {dims[0]}×{dims[1]} after a value of {width} columns");
                    layers.Add(new Dense(Layer(node), w, (int)dims[0], (int)dims[1]));
                    width = (int)dims[1];
                    break;
                case "BatchNormalization":
                    layers.Add(OnnxImageReader.ReadBatchNorm(_graph, node, name, Layer(node), others, current, image, width));
                    width = ((OnnxImageReader.Normalization)layers[^1]).Features;
                    break;
                case "Sub" or "Mul" when image is { } values && perValue.Count == (node.OpType == "Sub" ? 0 : 1) && (node.OpType == "Mul" || node.Input[0] == current):
                    perValue.Add(OnnxImageReader.Values(_graph, Single(others, name), name, values));
                    break;
                case "Add" when image is { } values && perValue.Count == 2:
                    layers.Add(OnnxImageReader.PerValue(Layer(node), values, perValue[0], perValue[1], OnnxImageReader.Values(_graph, Single(others, name), name, values)));
                    perValue.Clear();
                    break;
                case "Add" or "Sub" or "Mul" or "Div" when image is not null:
                    throw Error($"has node {name}, arithmetic on images other than a batch normalisation's Sub (x − μ), Mul and Add, which the import does not take");
                case "Add" when layers.Count > 0 && layers[^1] is Dense { HasBias: false } dense && targetScale is null:
                    dense.Bias = _graph.Vector(Single(others, name), dense.Outputs, name, "bias");
                    dense.HasBias = true;
                    break;
                case "Add" when targetScale is not null && targetShift is null:
                    targetShift = _graph.Vector(Single(others, name), width, name, "target mean");
                    break;
                case "Mul" when layers.Count > 0:
                    targetScale = _graph.Vector(Single(others, name), width, name, "target deviation");
                    break;
                case "Sub" when layers.Count == 0 && mean is null && deviation is null && node.Input[0] == current:
                    mean = _graph.Vector(Single(others, name), width, name, "mean");
                    break;
                case "Div" when layers.Count == 0 && deviation is null && node.Input[0] == current:
                    deviation = _graph.Vector(Single(others, name), width, name, "deviation");
                    Require(Array.TrueForAll(deviation, d => d != 0 && double.IsFinite(d)), $"has node {name} dividing by zero or a non-finite number");
                    break;
                case "Add" or "Sub" or "Mul" or "Div":
                    throw Error($"has node {name} where the import takes no {node.OpType} (it takes Sub and Div before the first layer, Add as a bias after MatMul, Mul and Add after the last layer)");
                case "Greater":
                    Require(node.Input[0] == current && others.Count == 1 && _graph.Vector(others[0], 1, name, "threshold")[0] == 0,
                        $"has node {name}, a Greater that is not u > 0 (the step)");
                    stepPending = true;
                    break;
                case "Cast":
                    Require(stepPending, $"has node {name}, a Cast that does not follow a Greater(u, 0)");
                    stepPending = false;
                    layers.Add(new Function(Layer(node), ActivationKind.Step));
                    break;
                case "LeakyRelu":
                    layers.Add(new Function(Layer(node), ActivationKind.LeakyRelu, Attribute(node, "alpha", 0.01f)));
                    break;
                case "Softmax":
                    long axis = Attribute(node, "axis", opset >= 13 ? -1L : 1L);
                    Require(axis is 1 or -1, $"has node {name}, a Softmax over axis {axis}; an MLP's is over its outputs (axis 1)");
                    layers.Add(new Function(Layer(node), ActivationKind.Softmax));
                    break;
                case "Relu" or "Sigmoid" or "Tanh":
                    layers.Add(new Function(Layer(node), Activation.Registry.First(a => a.OnnxOp == node.OpType).Kind, Input: current));
                    break;
                case "Gelu":
                    Require(opset >= OnnxFile.GeluOpset, $"has node {name}, a Gelu in opset {opset} (ONNX has it from opset {OnnxFile.GeluOpset})");
                    string approximate = node.Attribute.FirstOrDefault(a => a.Name == "approximate")?.S.ToStringUtf8() ?? "none";
                    layers.Add(new Function(Layer(node), Activation.Registry.FirstOrDefault(a => a.OnnxOp == "Gelu" && a.OnnxAttribute?.Value == approximate)?.Kind ?? throw Error($"has node {name}, a Gelu with approximate '{ModelFile.Excerpt(approximate)}' (it takes none or tanh)")));
                    break;
                case "Identity" when layers.Count > 0 && layers[^1] is Dense:
                    layers.Add(new Function(Layer(node), ActivationKind.Identity));
                    break;
                case "Flatten":
                    Require(Attribute(node, "axis", 1L) == 1, $"has node {name}, a Flatten over axis {Attribute(node, "axis", 1L)}; the import takes [batch, features] data");
                    break;
                default:
                    // Identity elsewhere, Dropout: nothing at inference
                    break;
            }

            current = node.Output[0];
        }

        Require(!stepPending, "ends with a Greater that no Cast follows");
        Require(perValue.Count == 0, "ends inside a batch normalisation over images (Sub, Mul, Add)");
        Require(current == graph.Output[0].Name, $"does not end its chain at its output '{graph.Output[0].Name}' (the chain from the input ends at '{current}')");
        Require(layers.Any(l => l is Dense or OnnxRecurrentReader.Read), "has no dense layer (Gemm or MatMul) nor recurrent one (RNN, LSTM, GRU)");
        if (layers[^1] is Dense or OnnxRecurrentReader.PerStep)
        {
            // a network that ends in a linear layer (a regression's, or logits) has the identity as its output
            layers.Add(new Function("output", ActivationKind.Identity));
        }

        return Assemble<T>(proto, layers, mean, deviation, targetScale, targetShift);
    }

    private Model<T> Assemble<T>(ModelProto proto, List<object> layers, double[]? mean, double[]? deviation, double[]? targetScale, double[]? targetShift)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var built = new List<ILayer<T>>();
        foreach (object layer in layers)
        {
            switch (layer)
            {
                case Dense dense:
                    built.Add(new Dense<T>(
                        new NDArray<T>(new Shape(dense.Inputs, dense.Outputs), [.. dense.Weights.Select(T.CreateChecked)]),
                        new NDArray<T>(new Shape(dense.Outputs), [.. dense.Bias.Select(T.CreateChecked)]),
                        dense.Name));
                    break;
                case Function { Alpha: { } alpha } leaky:
                    built.Add(new ActivationLayer<T>(new LeakyRelu<T>(alpha), leaky.Name));
                    break;
                case Function function:
                    built.Add(new ActivationLayer<T>(function.Kind, function.Name));
                    break;
                case IOnnxLayer read:
                    built.Add(read.Build<T>());
                    break;
            }
        }

        var network = new Sequential<T>(built);
        // without the task in its metadata (a PyTorch export), the task the output layer implies
        TaskKind task = OnnxMetadata.Metadata(proto, OnnxFile.TaskKey) is { } named
            ? Enum.TryParse(named, out TaskKind parsed) ? parsed : throw Error($"names an unknown task '{ModelFile.Excerpt(named)}' (metadata {OnnxFile.TaskKey})")
            : Training.TaskHead.Of(network).Task;
        List<string> features = OnnxMetadata.Names(proto, OnnxFile.FeaturesKey, _graph) ?? [.. Model<T>.GeneratedFeatureNames(network.InputWidth)];
        Require(features.Count == network.InputWidth, $"names {features.Count} features for a network of {network.InputWidth} inputs (metadata {OnnxFile.FeaturesKey})");
        List<string>? classes = task == TaskKind.Regression ? null
            : OnnxMetadata.Names(proto, OnnxFile.ClassesKey, _graph) ?? [.. Enumerable.Range(0, Math.Max(network.OutputWidth, 2)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Require(classes is null || classes.Count == network.OutputWidth || (network.OutputWidth == 1 && classes.Count == 2),
            $"names {classes?.Count} classes for a network of {network.OutputWidth} outputs (metadata {OnnxFile.ClassesKey})");
        Require(mean is null || mean.Length == network.InputWidth, $"standardizes {mean?.Length} features for a network of {network.InputWidth} inputs");
        Require(deviation is null || deviation.Length == network.InputWidth, $"standardizes {deviation?.Length} features for a network of {network.InputWidth} inputs");
        OnnxScaling? exact = OnnxMetadata.Scaling(proto, _graph);
        bool single = _graph.Single;
        (mean, deviation) = (OnnxScaling.Exact(exact?.Mean, mean, single), OnnxScaling.Exact(exact?.Deviation, deviation, single));
        (targetShift, targetScale) = (OnnxScaling.Exact(exact?.TargetMean, targetShift, single), OnnxScaling.Exact(exact?.TargetDeviation, targetScale, single));
        Standardizer? standardizer = mean is null && deviation is null ? null
            : new Standardizer(mean ?? new double[network.InputWidth], deviation ?? [.. Enumerable.Repeat(1.0, network.InputWidth)]);
        Standardizer? targets = targetScale is null ? null : new Standardizer(targetShift ?? new double[targetScale.Length], targetScale);
        return new Model<T>(network, task, features, classes, OnnxMetadata.Metadata(proto, OnnxFile.TargetKey) ?? "target", standardizer, targets) { Configuration = OnnxMetadata.Configuration(proto, _graph), Windows = OnnxMetadata.Windows(proto, _graph, network.InputWidth), Encoding = OnnxMetadata.Encoding(proto, _graph, features, _source) };
    }

    private int Opset(ModelProto proto)
    {
        OperatorSetIdProto? onnx = proto.OpsetImport.FirstOrDefault(set => set.Domain is "" or "ai.onnx");
        Require(onnx is not null, "names no ONNX operator set (opset_import)");
        Require(onnx!.Version is >= OnnxFile.MinOpset and <= OnnxFile.MaxOpset,
            $"uses operator set {onnx.Version}; an import takes {OnnxFile.MinOpset} … {OnnxFile.MaxOpset}");
        return (int)onnx.Version;
    }

    private string Single(List<string> others, string name) =>
        others.Count == 1 ? others[0] : throw Error($"has node {name} with {others.Count} constant operands where it takes one");

    private static long Attribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(attribute => attribute.Name == name) is { } found ? found.I : fallback;

    private static float Attribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(attribute => attribute.Name == name) is { } found ? found.F : fallback;

    private static string Layer(NodeProto node) => node.Name.Length > 0 ? ModelFile.Excerpt(node.Name) : ModelFile.Excerpt(node.Output[0]);

    private void Require(bool condition, string problem) => ModelFile.Require(condition, _source, problem);

    private DataFormatException Error(string problem) => new($"{_source} {problem}.");
}
