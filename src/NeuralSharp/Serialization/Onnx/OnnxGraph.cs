using System.Buffers.Binary;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// An ONNX graph's values as <see cref="OnnxReader"/> needs them: its one data input and that input's width, its
/// constants (initializers and <c>Constant</c> nodes, decoded to float64 only when used, every claimed size checked
/// up front), and its nodes in an order where each comes after what it reads.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>Most nodes a graph may have (an MLP within the parameter budget has far fewer).</summary>
    private const int MaxNodes = 100_000;

    /// <summary>Most tensor elements a file may claim in all: twice the library's parameter budget (room for constants).</summary>
    private const long Budget = NetworkBuilder<double>.MaxParameters * 2;

    private readonly string _source;
    private readonly Dictionary<string, TensorProto> _constants = [];
    private readonly Dictionary<string, (double[] Values, long[] Dims)> _decoded = [];
    private long _elements;

    public OnnxGraph(GraphProto graph, string source)
    {
        _source = source;
        Require(graph.Node.Count <= MaxNodes, $"has {graph.Node.Count:N0} nodes; an import takes at most {MaxNodes:N0}");
        // every claimed size is checked up front, used or not (decoding, later, allocates only what is used)
        long claimed = 0;
        foreach (TensorProto initializer in graph.Initializer)
        {
            _constants[initializer.Name] = initializer;
            claimed += Count(initializer, $"tensor '{ModelFile.Excerpt(initializer.Name)}'");
            Require(claimed <= Budget, $"claims {claimed:N0} elements by tensor '{ModelFile.Excerpt(initializer.Name)}', more than an import takes ({Budget:N0} in all)");
        }

        Input = DataInput(graph);
        Width = InputWidth(Input);
        Nodes = Order(graph, Input.Name);
    }

    /// <summary>The graph's one input that is data, not a constant.</summary>
    public ValueInfoProto Input { get; }

    /// <summary>The input's feature count from its shape <c>[batch, features]</c> (C·H·W for images), or −1 when the shape leaves it open.</summary>
    public int Width { get; }

    /// <summary>The shape of one input image when the input is <c>[batch, C, H, W]</c> (PyTorch's convolutional networks).</summary>
    public ImageShape? InputImage { get; private set; }

    /// <summary>The shape of one input sequence when the input is <c>[batch, T, F]</c> (PyTorch's recurrent networks).</summary>
    public SequenceShape? InputSequence { get; private set; }

    /// <summary>The nodes but <c>Constant</c>s, each after what it reads.</summary>
    public List<NodeProto> Nodes { get; }

    /// <summary>True while every constant decoded so far was float32.</summary>
    public bool Single { get; private set; } = true;

    /// <summary>True for an initializer's or a <c>Constant</c> node's name.</summary>
    public bool IsConstant(string name) => _constants.ContainsKey(name);

    private ValueInfoProto DataInput(GraphProto graph)
    {
        ValueInfoProto[] inputs = [.. graph.Input.Where(value => !_constants.ContainsKey(value.Name))];
        Require(inputs.Length == 1, $"has {inputs.Length} data inputs ({string.Join(", ", inputs.Take(5).Select(value => $"'{ModelFile.Excerpt(value.Name)}'"))}); an MLP has one");
        return inputs[0];
    }

    private int InputWidth(ValueInfoProto input)
    {
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null)
        {
            return -1;
        }

        Require(tensor.ElemType is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double or 0,
            $"takes input '{ModelFile.Excerpt(input.Name)}' of element type {tensor.ElemType}; an import takes float32 or float64");
        if (tensor.Shape is null)
        {
            return -1;
        }

        int rank = tensor.Shape.Dim.Count;
        Require(rank is 2 or 3 or 4, $"takes input '{ModelFile.Excerpt(input.Name)}' of rank {rank}; an import takes [batch, features], [batch, time, features] or [batch, channels, height, width]");
        long[] sizes = [.. tensor.Shape.Dim.Skip(1).Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1)];
        Require(sizes.All(d => d is -1 or (> 0 and <= int.MaxValue)), $"takes input '{ModelFile.Excerpt(input.Name)}' of shape [batch, {string.Join(", ", sizes)}]");
        if (rank == 4)
        {
            Require(sizes.All(d => d > 0), $"takes input '{ModelFile.Excerpt(input.Name)}' of images whose size is left open; an import needs [batch, C, H, W] with C, H and W given");
            Require((double)sizes[0] * sizes[1] * sizes[2] <= Budget, $"takes input '{ModelFile.Excerpt(input.Name)}' of {sizes[0]}×{sizes[1]}×{sizes[2]} images, more values than an import takes ({Budget:N0})");
            InputImage = new ImageShape((int)sizes[0], (int)sizes[1], (int)sizes[2]);
            return InputImage.Value.Size;
        }

        if (rank == 3)
        {
            Require(sizes.All(d => d > 0) && (double)sizes[0] * sizes[1] <= Budget, $"takes input '{ModelFile.Excerpt(input.Name)}' of sequences [batch, {sizes[0]}, {sizes[1]}]; an import needs the steps and features given");
            InputSequence = new SequenceShape((int)sizes[0], (int)sizes[1]);
            return InputSequence.Value.Size;
        }

        return (int)sizes[0];
    }

    /// <summary>A constant of whole numbers (int64, as Reshape's shape), at most <paramref name="most"/> of them.</summary>
    public long[] Integers(string name, string node, int most)
    {
        TensorProto tensor = _constants[name];
        Require(tensor.DataType == (int)TensorProto.Types.DataType.Int64, $"has node {node} whose '{ModelFile.Excerpt(name)}' is not int64");
        long count = Count(tensor, $"tensor '{ModelFile.Excerpt(name)}'");
        Require(count <= most && (tensor.RawData.Length == 0 ? tensor.Int64Data.Count == count : tensor.RawData.Length == count * 8),
            $"has node {node} whose '{ModelFile.Excerpt(name)}' holds other than {Math.Min(count, most)} whole numbers");
        return tensor.RawData.Length == 0 ? [.. tensor.Int64Data] : [.. Enumerable.Range(0, (int)count).Select(i => BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span[(i * 8)..]))];
    }

    /// <summary>The node's inputs besides the chain's current value, each a constant; refused when the node does not read the current value.</summary>
    public List<string> Operands(NodeProto node, string current, string name)
    {
        int reads = node.Input.Count(value => value == current);
        Require(reads == 1, reads == 0
            ? $"has node {name}, which does not continue the chain from the input (it reads {string.Join(", ", node.Input.Take(3).Select(value => $"'{ModelFile.Excerpt(value)}'"))}, not '{ModelFile.Excerpt(current)}'): an import takes one chain of layers"
            : $"has node {name} reading the same value twice");
        var others = node.Input.Where(value => value != current && value.Length > 0).ToList();
        foreach (string value in others)
        {
            Require(IsConstant(value), $"has node {name} reading '{ModelFile.Excerpt(value)}', which is neither the chain's value nor a constant");
        }

        return others;
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
        Require(stuck < 0, stuck < 0 ? "" : $"has node {Describe(graph.Node[stuck])} reading '{ModelFile.Excerpt(graph.Node[stuck].Input.First(value => !available.Contains(value)))}', which no node before it produces (a cycle, or a missing initializer)");
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

    public (double[] Values, long[] Dims) Matrix(string name, string node)
    {
        (double[] values, long[] dims) = Decode(name);
        Require(dims.Length == 2 && dims[0] > 0 && dims[1] > 0, $"has node {node} whose weight '{ModelFile.Excerpt(name)}' is of shape [{string.Join(", ", dims)}], not a matrix");
        return (values, dims);
    }

    /// <summary>A constant that broadcasts along a row of <paramref name="width"/> values (shape [], [1], [width] or [1, width]).</summary>
    public double[] Vector(string name, int width, string node, string what)
    {
        (double[] values, long[] dims) = Decode(name);
        bool row = dims.Length == 0 || (dims.Length <= 2 && dims[..^1].All(d => d == 1));
        Require(row && (values.Length == 1 || values.Length == width || width < 0), $"has node {node} whose {what} '{ModelFile.Excerpt(name)}' has shape [{string.Join(", ", dims)}], not one row of {width}");
        return values.Length == width || width < 0 ? values : [.. Enumerable.Repeat(values[0], width)];
    }

    /// <summary>A constant's values as float64, every claimed size checked before anything is allocated from it.</summary>
    public (double[] Values, long[] Dims) Decode(string name)
    {
        if (_decoded.TryGetValue(name, out (double[], long[]) done))
        {
            return done;
        }

        TensorProto tensor = _constants[name];
        string what = $"tensor '{ModelFile.Excerpt(name)}'";
        long count = Count(tensor, what);
        Require(count <= Budget - _elements, $"gives {what} {count:N0} elements, more than an import takes ({Budget:N0} in all)");
        var type = (TensorProto.Types.DataType)tensor.DataType;
        Require(type is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double, $"stores {what} as {type}; an import takes float32 or float64");
        int size = type == TensorProto.Types.DataType.Float ? 4 : 8;
        int stored = tensor.RawData.Length > 0 ? tensor.RawData.Length / size : type == TensorProto.Types.DataType.Float ? tensor.FloatData.Count : tensor.DoubleData.Count;
        Require(stored == count && (tensor.RawData.Length == 0 || tensor.RawData.Length == count * size),
            $"gives {what} the shape [{string.Join(", ", tensor.Dims)}] ({count:N0} values) but holds {(tensor.RawData.Length > 0 ? $"{tensor.RawData.Length:N0} bytes" : $"{stored:N0} values")}");
        _elements += count;
        Single &= size == 4;
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

    public static string Describe(NodeProto node) => $"'{ModelFile.Excerpt(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?")}' ({ModelFile.Excerpt(node.OpType)})";

    public void Require(bool condition, string problem) => ModelFile.Require(condition, _source, problem);

    public DataFormatException Error(string problem) => new($"{_source} {problem}.");
}
