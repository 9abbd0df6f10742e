using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// An MLP read back from an ONNX graph. The graph must be one chain from its single input to its single output, each
/// node reading the value before it and otherwise only constants (initializers or <c>Constant</c> nodes):
/// <code>
/// Sub, Div                     before the first layer: the standardizer (x − μ) / σ
/// Gemm | MatMul [+ Add]        a dense layer (Gemm with any transB, alpha and beta; MatMul alone has no bias)
/// Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Identity, Greater(0) + Cast   an activation (the last is the step)
/// Flatten, Dropout             nothing at inference
/// Mul, Add                     after the last layer: a regression's target scale y·σ + μ
/// </code>
/// Anything else is refused with the node's name and op type. Every size a tensor claims is checked against its bytes
/// and the library's parameter budget before anything is allocated from it.
/// </summary>
internal sealed class OnnxReader
{
    private static readonly string[] Supported = ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Identity", "Greater", "Cast", "Flatten", "Dropout", "Constant"];

    /// <summary>Most nodes a graph may have (an MLP within the parameter budget has far fewer).</summary>
    private const int MaxNodes = 100_000;

    /// <summary>Most tensor elements a file may claim in all: twice the library's parameter budget (room for constants).</summary>
    private const long Budget = NetworkBuilder<double>.MaxParameters * 2;

    private readonly string _source;
    private readonly Dictionary<string, TensorProto> _constants = [];
    private readonly Dictionary<string, (double[] Values, long[] Dims)> _decoded = [];
    private long _elements;
    private bool _single = true;

    private OnnxReader(string source) => _source = source;

    private sealed record Dense(string Name, double[] Weights, int Inputs, int Outputs)
    {
        public double[] Bias { get; set; } = new double[Outputs];

        public bool HasBias { get; set; }
    }

    private sealed record Function(string Name, ActivationKind Kind, double? Alpha = null);

    public static Model<T> Read<T>(ModelProto proto, string source)
        where T : unmanaged, IFloatingPointIeee754<T> => new OnnxReader(source).Build<T>(proto);

    private Model<T> Build<T>(ModelProto proto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GraphProto graph = proto.Graph ?? throw Error("has no graph (is it an ONNX model file?)");
        int opset = Opset(proto);
        Require(graph.Node.Count <= MaxNodes, $"has {graph.Node.Count:N0} nodes; an import takes at most {MaxNodes:N0}");
        foreach (TensorProto initializer in graph.Initializer)
        {
            _constants[initializer.Name] = initializer;
        }

        // every claimed size is checked up front, used or not (decoding, later, allocates only what is used)
        long claimed = 0;
        foreach (TensorProto initializer in graph.Initializer)
        {
            claimed += Count(initializer, $"tensor '{Excerpt(initializer.Name)}'");
            Require(claimed <= Budget, $"claims {claimed:N0} elements by tensor '{Excerpt(initializer.Name)}', more than an import takes ({Budget:N0} in all)");
        }

        ValueInfoProto input = DataInput(graph);
        int width = InputWidth(input);
        Require(graph.Output.Count == 1, $"has {graph.Output.Count} outputs; an MLP has one");

        var layers = new List<object>(); // Dense or Function
        double[]? mean = null, deviation = null, targetScale = null, targetShift = null;
        string current = input.Name;
        bool stepPending = false;
        foreach (NodeProto node in Order(graph, input.Name))
        {
            string name = Describe(node);
            Require(node.Domain is "" or "ai.onnx", $"has node {name} from the operator domain '{node.Domain}', which an import does not take");
            Require(node.Output.Count >= 1 && node.Output[0].Length > 0, $"has node {name} without an output");
            Require(Array.IndexOf(Supported, node.OpType) >= 0,
                $"has node {name}, an operator an MLP import does not take (it takes {string.Join(", ", Supported)})");
            List<string> others = Operands(node, current, name);
            Require(!stepPending || node.OpType == "Cast", $"has node {name} after a Greater that is not followed by a Cast (the step is Greater(u, 0) + Cast)");
            Require(targetScale is null || node.OpType is "Add" or "Identity" or "Dropout",
                $"has node {name} after the target scale (Mul): a Mul and an Add are taken only after the last layer");
            switch (node.OpType)
            {
                case "Gemm":
                    Require(Attribute(node, "transA", 0L) == 0, $"has node {name}, a Gemm that transposes its data input (transA = 1): not a dense layer");
                    layers.Add(Gemm(node, name, others, width));
                    width = ((Dense)layers[^1]).Outputs;
                    break;
                case "MatMul":
                    Require(node.Input[0] == current && others.Count == 1, $"has node {name}, a MatMul whose data is not its first input and weight its second");
                    (double[] w, long[] dims) = Matrix(others[0], name);
                    Require(width < 0 || dims[0] == width, $"has node {name} whose weight is {dims[0]}×{dims[1]} after a value of {width} columns");
                    layers.Add(new Dense(Layer(node), w, (int)dims[0], (int)dims[1]));
                    width = (int)dims[1];
                    break;
                case "Add" when layers.Count > 0 && layers[^1] is Dense { HasBias: false } dense && targetScale is null:
                    dense.Bias = Vector(Single(others, name), dense.Outputs, name, "bias");
                    dense.HasBias = true;
                    break;
                case "Add" when targetScale is not null && targetShift is null:
                    targetShift = Vector(Single(others, name), width, name, "target mean");
                    break;
                case "Mul" when layers.Count > 0:
                    targetScale = Vector(Single(others, name), width, name, "target deviation");
                    break;
                case "Sub" when layers.Count == 0 && mean is null && deviation is null && node.Input[0] == current:
                    mean = Vector(Single(others, name), width, name, "mean");
                    break;
                case "Div" when layers.Count == 0 && deviation is null && node.Input[0] == current:
                    deviation = Vector(Single(others, name), width, name, "deviation");
                    Require(Array.TrueForAll(deviation, d => d != 0 && double.IsFinite(d)), $"has node {name} dividing by zero or a non-finite number");
                    break;
                case "Add" or "Sub" or "Mul" or "Div":
                    throw Error($"has node {name} where an MLP import takes no {node.OpType} (it takes Sub and Div before the first layer, Add as a bias after MatMul, Mul and Add after the last layer)");
                case "Greater":
                    Require(node.Input[0] == current && others.Count == 1 && Vector(others[0], 1, name, "threshold")[0] == 0,
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
                    layers.Add(new Function(Layer(node), Enum.Parse<ActivationKind>(node.OpType)));
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
        Require(current == graph.Output[0].Name, $"does not end its chain at its output '{graph.Output[0].Name}' (the chain from the input ends at '{current}')");
        Require(layers.OfType<Dense>().Any(), "has no dense layer (Gemm or MatMul)");
        if (layers[^1] is Dense)
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
                        new Tensor<T>(new Shape(dense.Inputs, dense.Outputs), [.. dense.Weights.Select(T.CreateChecked)]),
                        new Tensor<T>(new Shape(dense.Outputs), [.. dense.Bias.Select(T.CreateChecked)]),
                        dense.Name));
                    break;
                case Function { Alpha: { } alpha } leaky:
                    built.Add(new ActivationLayer<T>(new LeakyRelu<T>(alpha), leaky.Name));
                    break;
                case Function function:
                    built.Add(new ActivationLayer<T>(function.Kind, function.Name));
                    break;
            }
        }

        var network = new Sequential<T>(built);
        ActivationKind? last = network.OutputActivation?.Activation.Kind;
        TaskKind task = Metadata(proto, OnnxFile.TaskKey) is { } named
            ? Enum.TryParse(named, out TaskKind parsed) ? parsed : throw Error($"names an unknown task '{Excerpt(named)}' (metadata {OnnxFile.TaskKey})")
            : last == ActivationKind.Softmax && network.OutputWidth > 1 ? TaskKind.MultiClassClassification
            : last == ActivationKind.Sigmoid && network.OutputWidth == 1 ? TaskKind.BinaryClassification
            : TaskKind.Regression;
        List<string> features = Names(proto, OnnxFile.FeaturesKey) ?? [.. Enumerable.Range(1, network.InputWidth).Select(i => $"x{i}")];
        Require(features.Count == network.InputWidth, $"names {features.Count} features for a network of {network.InputWidth} inputs (metadata {OnnxFile.FeaturesKey})");
        List<string>? classes = task == TaskKind.Regression ? null
            : Names(proto, OnnxFile.ClassesKey) ?? [.. Enumerable.Range(0, Math.Max(network.OutputWidth, 2)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Require(classes is null || classes.Count == network.OutputWidth || (network.OutputWidth == 1 && classes.Count == 2),
            $"names {classes?.Count} classes for a network of {network.OutputWidth} outputs (metadata {OnnxFile.ClassesKey})");
        Require(mean is null || mean.Length == network.InputWidth, $"standardizes {mean?.Length} features for a network of {network.InputWidth} inputs");
        Require(deviation is null || deviation.Length == network.InputWidth, $"standardizes {deviation?.Length} features for a network of {network.InputWidth} inputs");
        OnnxScaling? exact = Scaling(proto);
        bool single = _single;
        (mean, deviation) = (OnnxScaling.Exact(exact?.Mean, mean, single), OnnxScaling.Exact(exact?.Deviation, deviation, single));
        (targetShift, targetScale) = (OnnxScaling.Exact(exact?.TargetMean, targetShift, single), OnnxScaling.Exact(exact?.TargetDeviation, targetScale, single));
        Standardizer? standardizer = mean is null && deviation is null ? null
            : new Standardizer(mean ?? new double[network.InputWidth], deviation ?? [.. Enumerable.Repeat(1.0, network.InputWidth)]);
        Standardizer? targets = targetScale is null ? null : new Standardizer(targetShift ?? new double[targetScale.Length], targetScale);
        return new Model<T>(network, task, features, classes, Metadata(proto, OnnxFile.TargetKey) ?? "target", standardizer, targets);
    }

    private int Opset(ModelProto proto)
    {
        OperatorSetIdProto? onnx = proto.OpsetImport.FirstOrDefault(set => set.Domain is "" or "ai.onnx");
        Require(onnx is not null, "names no ONNX operator set (opset_import)");
        Require(onnx!.Version is >= OnnxFile.MinOpset and <= OnnxFile.MaxOpset,
            $"uses operator set {onnx.Version}; an import takes {OnnxFile.MinOpset} … {OnnxFile.MaxOpset}");
        return (int)onnx.Version;
    }

    /// <summary>The one graph input that is data, not a constant.</summary>
    private ValueInfoProto DataInput(GraphProto graph)
    {
        ValueInfoProto[] inputs = [.. graph.Input.Where(value => !_constants.ContainsKey(value.Name))];
        Require(inputs.Length == 1, $"has {inputs.Length} data inputs ({string.Join(", ", inputs.Take(5).Select(value => $"'{Excerpt(value.Name)}'"))}); an MLP has one");
        return inputs[0];
    }

    /// <summary>The input's feature count from its shape <c>[batch, features]</c>, or −1 when the shape leaves it open.</summary>
    private int InputWidth(ValueInfoProto input)
    {
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null)
        {
            return -1;
        }

        Require(tensor.ElemType is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double or 0,
            $"takes input '{Excerpt(input.Name)}' of element type {tensor.ElemType}; an import takes float32 or float64");
        if (tensor.Shape is null)
        {
            return -1;
        }

        Require(tensor.Shape.Dim.Count == 2, $"takes input '{Excerpt(input.Name)}' of rank {tensor.Shape.Dim.Count}; an MLP takes [batch, features]");
        TensorShapeProto.Types.Dimension features = tensor.Shape.Dim[1];
        Require(features.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || features.DimValue is > 0 and <= int.MaxValue,
            $"takes input '{Excerpt(input.Name)}' of {features.DimValue} features");
        return features.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? (int)features.DimValue : -1;
    }

    /// <summary>The nodes in an order where each comes after what it reads (Kahn's algorithm); a cycle is refused.</summary>
    private List<NodeProto> Order(GraphProto graph, string input)
    {
        var available = new HashSet<string>(_constants.Keys) { input, "" };
        var waiting = new Dictionary<string, List<int>>();
        int[] missing = new int[graph.Node.Count];
        var ready = new Queue<int>();
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            if (node.OpType == "Constant")
            {
                Constant(node);
            }
        }

        for (int i = 0; i < graph.Node.Count; i++)
        {
            foreach (string value in graph.Node[i].Input.Distinct())
            {
                if (!available.Contains(value) && !_constants.ContainsKey(value))
                {
                    missing[i]++;
                    (waiting.TryGetValue(value, out List<int>? list) ? list : waiting[value] = []).Add(i);
                }
            }

            if (missing[i] == 0)
            {
                ready.Enqueue(i);
            }
        }

        var order = new List<NodeProto>();
        while (ready.Count > 0)
        {
            NodeProto node = graph.Node[ready.Dequeue()];
            if (node.OpType != "Constant")
            {
                order.Add(node);
            }

            foreach (string output in node.Output.Where(output => available.Add(output)))
            {
                foreach (int next in waiting.GetValueOrDefault(output) ?? [])
                {
                    if (--missing[next] == 0)
                    {
                        ready.Enqueue(next);
                    }
                }
            }
        }

        int stuck = Array.FindIndex(missing, count => count > 0);
        Require(stuck < 0, stuck < 0 ? "" : $"has node {Describe(graph.Node[stuck])} reading '{Excerpt(graph.Node[stuck].Input.First(value => !available.Contains(value)))}', which no node before it produces (a cycle, or a missing initializer)");
        return order;
    }

    /// <summary>A <c>Constant</c> node's value, kept with the initializers.</summary>
    private void Constant(NodeProto node)
    {
        AttributeProto? value = node.Attribute.FirstOrDefault(attribute => attribute.Name is "value" or "value_float" or "value_floats");
        Require(value is not null && node.Output.Count == 1, $"has node {Describe(node)}, a Constant without a tensor value");
        TensorProto tensor = value!.Name switch
        {
            "value" => value.T ?? throw Error($"has node {Describe(node)}, a Constant without a tensor value"),
            "value_float" => new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, FloatData = { value.F } },
            _ => new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Dims = { value.Floats.Count }, FloatData = { value.Floats } },
        };
        _constants[node.Output[0]] = tensor;
    }

    /// <summary>The node's inputs besides the chain's current value, each a constant; refused when the node does not read the current value.</summary>
    private List<string> Operands(NodeProto node, string current, string name)
    {
        int reads = node.Input.Count(value => value == current);
        Require(reads == 1, reads == 0
            ? $"has node {name}, which does not continue the chain from the input (it reads {string.Join(", ", node.Input.Take(3).Select(value => $"'{Excerpt(value)}'"))}, not '{Excerpt(current)}'): an import takes one chain of layers"
            : $"has node {name} reading the same value twice");
        var others = node.Input.Where(value => value != current && value.Length > 0).ToList();
        foreach (string value in others)
        {
            Require(_constants.ContainsKey(value), $"has node {name} reading '{Excerpt(value)}', which is neither the chain's value nor a constant");
        }

        return others;
    }

    private Dense Gemm(NodeProto node, string name, List<string> others, int width)
    {
        Require(node.Input.Count is 2 or 3 && others.Count >= 1 && node.Input[1] == others[0], $"has node {name}, a Gemm whose weight is not its second input");
        (double[] b, long[] dims) = Matrix(others[0], name);
        bool transposed = Attribute(node, "transB", 0L) != 0;
        double alpha = Attribute(node, "alpha", 1f), beta = Attribute(node, "beta", 1f);
        int inputs = (int)(transposed ? dims[1] : dims[0]), outputs = (int)(transposed ? dims[0] : dims[1]);
        Require(width < 0 || inputs == width, $"has node {name} whose weight takes {inputs} inputs after a value of {width} columns");
        // W [in, out] = α·op(B): PyTorch's Linear stores [out, in] and exports transB = 1
        var weights = new double[(long)inputs * outputs];
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                weights[((long)i * outputs) + j] = alpha * (transposed ? b[((long)j * inputs) + i] : b[((long)i * outputs) + j]);
            }
        }

        var dense = new Dense(Layer(node), weights, inputs, outputs);
        if (node.Input.Count == 3 && node.Input[2].Length > 0)
        {
            double[] c = Vector(node.Input[2], outputs, name, "bias C");
            dense.Bias = [.. c.Select(value => beta * value)];
            dense.HasBias = true;
        }

        return dense;
    }

    private (double[] Values, long[] Dims) Matrix(string name, string node)
    {
        (double[] values, long[] dims) = Decode(name);
        Require(dims.Length == 2 && dims[0] > 0 && dims[1] > 0, $"has node {node} whose weight '{Excerpt(name)}' is of shape [{string.Join(", ", dims)}], not a matrix");
        return (values, dims);
    }

    /// <summary>A constant that broadcasts along a row of <paramref name="width"/> values (shape [], [1], [width] or [1, width]).</summary>
    private double[] Vector(string name, int width, string node, string what)
    {
        (double[] values, long[] dims) = Decode(name);
        bool row = dims.Length == 0 || (dims.Length <= 2 && dims[..^1].All(d => d == 1));
        Require(row && (values.Length == 1 || values.Length == width || width < 0), $"has node {node} whose {what} '{Excerpt(name)}' has shape [{string.Join(", ", dims)}], not one row of {width}");
        return values.Length == width || width < 0 ? values : [.. Enumerable.Repeat(values[0], width)];
    }

    private string Single(List<string> others, string name) =>
        others.Count == 1 ? others[0] : throw Error($"has node {name} with {others.Count} constant operands where it takes one");

    /// <summary>A constant's values as float64, every claimed size checked before anything is allocated from it.</summary>
    private (double[] Values, long[] Dims) Decode(string name)
    {
        if (_decoded.TryGetValue(name, out (double[], long[]) done))
        {
            return done;
        }

        TensorProto tensor = _constants[name];
        string what = $"tensor '{Excerpt(name)}'";
        long count = Count(tensor, what);
        Require(count <= Budget - _elements, $"gives {what} {count:N0} elements, more than an import takes ({Budget:N0} in all)");
        var type = (TensorProto.Types.DataType)tensor.DataType;
        Require(type is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double, $"stores {what} as {type}; an import takes float32 or float64");
        int size = type == TensorProto.Types.DataType.Float ? 4 : 8;
        int stored = tensor.RawData.Length > 0 ? tensor.RawData.Length / size : type == TensorProto.Types.DataType.Float ? tensor.FloatData.Count : tensor.DoubleData.Count;
        Require(stored == count && (tensor.RawData.Length == 0 || tensor.RawData.Length == count * size),
            $"gives {what} the shape [{string.Join(", ", tensor.Dims)}] ({count:N0} values) but holds {(tensor.RawData.Length > 0 ? $"{tensor.RawData.Length:N0} bytes" : $"{stored:N0} values")}");
        _elements += count;
        _single &= size == 4;
        var values = new double[count];
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = raw.Length > 0
                ? size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]) : BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..])
                : size == 4 ? tensor.FloatData[i] : tensor.DoubleData[i];
        }

        Require(Array.TrueForAll(values, double.IsFinite), $"holds values in {what} that are not finite numbers");
        _decoded[name] = (values, [.. tensor.Dims]);
        return _decoded[name];
    }

    /// <summary>The elements a tensor's shape claims (saturating), its dimensions and place checked.</summary>
    private long Count(TensorProto tensor, string what)
    {
        Require(tensor.DataLocation != TensorProto.Types.DataLocation.External, $"keeps {what} in an external file, which an import does not read");
        long count = 1;
        foreach (long dim in tensor.Dims)
        {
            Require(dim is >= 0 and <= int.MaxValue, $"gives {what} a dimension of {dim}");
            count = Math.Min(count * dim, long.MaxValue / int.MaxValue);
        }

        Require(count <= Budget, $"gives {what} {count:N0} elements, more than an import takes ({Budget:N0} in all)");
        return count;
    }

    private static long Attribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(attribute => attribute.Name == name) is { } found ? found.I : fallback;

    private static float Attribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(attribute => attribute.Name == name) is { } found ? found.F : fallback;

    private static string? Metadata(ModelProto proto, string key) =>
        proto.MetadataProps.FirstOrDefault(entry => entry.Key == key)?.Value;

    private OnnxScaling? Scaling(ModelProto proto)
    {
        try
        {
            return Metadata(proto, OnnxFile.ScalingKey) is { } json ? JsonSerializer.Deserialize(json, OnnxJson.Default.OnnxScaling) : null;
        }
        catch (JsonException)
        {
            throw Error($"has metadata {OnnxFile.ScalingKey} that is not the JSON NeuralSharp writes there");
        }
    }

    private List<string>? Names(ModelProto proto, string key)
    {
        if (Metadata(proto, key) is not { } json)
        {
            return null;
        }

        try
        {
            List<string>? names = JsonSerializer.Deserialize(json, OnnxJson.Default.ListString);
            Require(names is not null && names.TrueForAll(name => name is not null), $"has metadata {key} that is not a list of names");
            return names;
        }
        catch (JsonException)
        {
            throw Error($"has metadata {key} that is not a JSON list of names");
        }
    }

    private static string Layer(NodeProto node) => node.Name.Length > 0 ? Excerpt(node.Name) : Excerpt(node.Output[0]);

    private static string Describe(NodeProto node) => $"'{Excerpt(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?")}' ({Excerpt(node.OpType)})";

    private static string Excerpt(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw Error(problem);
        }
    }

    private DataFormatException Error(string problem) => new($"{_source} {problem}.");
}
