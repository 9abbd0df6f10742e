using System.Numerics;
using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// Day 3's layers read back from ONNX as <see cref="OnnxRecurrentLayers"/> writes them: rows <c>Reshape</c>d to
/// <c>[-1, T, F]</c> and <c>Transpose</c>d to time-major, one forward <c>RNN</c> (tanh, sigmoid or ReLU), <c>LSTM</c> or
/// <c>GRU</c> (<c>linear_before_reset = 1</c>) without peepholes, clipping or initial state, then its last state
/// <c>Y_h</c> reshaped to rows, or every state <c>Y</c> transposed and reshaped to rows; and a dense layer at every step
/// (<c>Reshape</c> to <c>[-1, H]</c>, <c>Gemm</c>, <c>Reshape</c> back). It follows the chain node by node.
/// It also takes what <c>torch.onnx.export</c> writes for <c>nn.RNN</c>, <c>nn.LSTM</c> and <c>nn.GRU</c> with
/// <c>batch_first</c>: a <c>[batch, T, F]</c> input, the zero initial state built from the input's shape
/// (<c>Shape</c>, <c>Gather</c>, <c>Unsqueeze</c>, <c>Concat</c>, <c>ConstantOfShape</c> — folded away: the layer starts
/// from zeros), and the last step taken as <c>Squeeze</c>, <c>Transpose</c>, <c>Gather(−1)</c> of Y or <c>Gather(−1)</c> of Y_h.
/// </summary>
/// <param name="graph">The graph being read.</param>
internal sealed class OnnxRecurrentReader(OnnxGraph graph)
{
    private static readonly string[] Attributes = ["hidden_size", "direction", "activations", "linear_before_reset", "layout"];

    private SequenceShape? _sequence = graph.InputSequence;
    private readonly HashSet<string> _side = [], _zeros = [];
    private string? _squeezed, _batchFirst, _finalBatch;
    private bool _timeMajor, _batchMajor;
    private Read? _last;
    private (int Steps, int Width)? _perStep;

    /// <summary>A recurrent layer read from its node, built in the model's scalar type once the chain is read.</summary>
    public sealed record Read(string Name, string Kind, SequenceShape Input, int Hidden, ActivationKind Activation, double[] Wx, double[] Wh, double[]? Bx, double[]? Bh) : IOnnxLayer
    {
        public RecurrentOutput Output { get; set; }

        public string Y { get; init; } = "";

        public string State { get; init; } = "";

        public GruForm Form { get; init; }

        /// <summary>The backward direction of a bidirectional node, or null.</summary>
        public Read? Reverse { get; init; }

        /// <summary>H per step of the output: both directions' for a bidirectional node.</summary>
        public int Width => Reverse is null ? Hidden : 2 * Hidden;

        public ILayer<T> Build<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (Reverse is { } reverse)
            {
                return new Bidirectional<T>((RecurrentLayer<T>)(this with { Reverse = null, Output = Output }).Build<T>(), (RecurrentLayer<T>)(reverse with { Output = Output }).Build<T>(), Name);
            }

            RecurrentLayer<T> layer = Kind switch
            {
                "LSTM" => new Lstm<T>(Input, Hidden, Output, Bx is not null, Name),
                "GRU" => new Gru<T>(Input, Hidden, Output, Bx is not null, Name, Form),
                _ => new SimpleRnn<T>(Input, Hidden, Activation, Output, Bx is not null, Name),
            };
            Wx.Select(T.CreateChecked).ToArray().CopyTo(layer.InputWeights.Value.AsSpan());
            Wh.Select(T.CreateChecked).ToArray().CopyTo(layer.StateWeights.Value.AsSpan());
            Bx?.Select(T.CreateChecked).ToArray().CopyTo(layer.InputBias.Value.AsSpan());
            Bh?.Select(T.CreateChecked).ToArray().CopyTo(layer.StateBias.Value.AsSpan());
            return layer;
        }
    }

    /// <summary>A dense layer at every step, read from its Gemm.</summary>
    public sealed record PerStep(string Name, int Steps, int Inputs, int Outputs, double[] Weights, double[] Bias) : IOnnxLayer
    {
        public ILayer<T> Build<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var layer = new TimeDistributedDense<T>(Steps, Inputs, Outputs, name: Name);
            Weights.Select(T.CreateChecked).ToArray().CopyTo(layer.Weights.Value.AsSpan());
            Bias.Select(T.CreateChecked).ToArray().CopyTo(layer.Bias.Value.AsSpan());
            return layer;
        }
    }

    /// <summary>The value a node may read besides the chain's: a recurrent node's last state.</summary>
    public string? Alternative => _last is { } last && last.State.Length > 0 && !_batchMajor ? last.State : null;

    /// <summary>
    /// Takes the node when it belongs to a recurrent layer (or a dense layer at every step), updating the chain's value
    /// and width; false for any other node.
    /// </summary>
    public bool Take(NodeProto node, string name, ref string current, ref int width, List<object> layers, Func<NodeProto, string> layer)
    {
        string output = node.Output[0];
        if (Side(node, name, current))
        {
            // the zero initial state's shape, computed beside the chain: the chain's value stays
            return true;
        }

        switch (node.OpType)
        {
            case "Squeeze" when _last is { } read && node.Input[0] == read.Y && Axes(node, name) is [1]:
                _squeezed = output;
                break;
            case "Transpose" when _squeezed is not null && node.Input[0] == _squeezed && Perm(node) is [1, 0, 2]:
                (_batchFirst, _squeezed) = (output, null);
                break;
            case "Gather" when _last is { } read && ((node.Input[0] == _batchFirst && Axis(node) == 1 && (Index(node, name) == -1 || Index(node, name) == read.Input.Steps - 1))
                || (node.Input[0] == read.State && Axis(node) == 0 && Index(node, name) is -1 or 0)):
                (read.Output, width, _last, _batchFirst) = (RecurrentOutput.LastStep, read.Hidden, null, null);
                break;
            case "Transpose" when _last is { Reverse: not null } read && node.Input[0] == read.State && Perm(node) is [1, 0, 2]:
                _finalBatch = output;
                break;
            case "Reshape" when _last is { } read && _finalBatch is not null && node.Input[0] == _finalBatch:
                Require(Shape(node, name) is [-1 or 0, var both] && both == read.Width, $"has node {name}, a Reshape of {read.Name}'s final states to other than [-1, {read.Width}]");
                (read.Output, width, _last, _finalBatch) = (RecurrentOutput.LastStep, read.Width, null, null);
                break;
            case "Reshape" when _last is { } read && _batchFirst is not null && node.Input[0] == _batchFirst && Shape(node, name) is [-1 or 0, var all] && all == read.Input.Steps * read.Hidden:
                (read.Output, width, _last, _batchFirst) = (RecurrentOutput.EveryStep, (int)all, null, null);
                break;
            case "Reshape" when _last is { Reverse: null } read && node.Input[0] == read.State:
                Require(Shape(node, name) is [-1 or 0, var h] && h == read.Hidden, $"has node {name}, a Reshape of {read.Name}'s last state to other than [-1, {read.Hidden}]");
                (read.Output, width, _last) = (RecurrentOutput.LastStep, read.Hidden, null);
                break;
            case "Reshape" when _last is { } read && _batchMajor && node.Input[0] == current:
                Require(Shape(node, name) is [-1 or 0, var rows] && rows == read.Input.Steps * read.Width, $"has node {name}, a Reshape of {read.Name}'s states to other than rows of T·H");
                (read.Output, width, _last, _batchMajor) = (RecurrentOutput.EveryStep, read.Input.Steps * read.Width, null, false);
                break;
            case "Reshape" when _perStep is { } pending && node.Input[0] == current:
                Require(layers.Count > 0 && layers[^1] is PerStep step && Shape(node, name) is [-1 or 0, var stepRows] && stepRows == pending.Steps * step.Outputs, $"has node {name}, a Reshape after a dense layer at every step to other than rows");
                (width, _perStep) = (pending.Steps * ((PerStep)layers[^1]).Outputs, null);
                break;
            case "Reshape" when node.Input[0] == current && Shape(node, name) is [-1 or 0, var steps, var features] && width >= 0 && steps * features == width:
                _sequence = new SequenceShape((int)steps, (int)features);
                break;
            case "Reshape" when node.Input[0] == current && layers.Count > 0 && layers[^1] is Read { Output: RecurrentOutput.EveryStep } every && Shape(node, name) is [-1 or 0, var units] && units == every.Hidden:
                _perStep = (every.Input.Steps, (int)units);
                break;
            case "Transpose" when _sequence is not null && !_timeMajor && node.Input[0] == current && Perm(node) is [1, 0, 2]:
                _timeMajor = true;
                break;
            case "Transpose" when _last is { } read && node.Input[0] == read.Y && Perm(node) is [2, 0, 1, 3]:
                _batchMajor = true;
                break;
            case "Gemm" when _perStep is { } pending:
                (double[] w, long[] dims) = graph.Matrix(node.Input[1], name);
                Require(dims[0] == pending.Width && node.Input.Count == 3 && graph.IsConstant(node.Input[1]) && graph.IsConstant(node.Input[2]) && node.Attribute.All(a => a.Name is "alpha" or "beta" or "transB" && (a.Name != "transB" || a.I == 0) && (a.Name == "transB" || a.F == 1)),
                    $"has node {name}, a Gemm at every step that is not x·W + b of {pending.Width} inputs");
                layers.Add(new PerStep(layer(node), pending.Steps, pending.Width, (int)dims[1], w, graph.Vector(node.Input[2], (int)dims[1], name, "bias")));
                break;
            case "LSTM" or "GRU" or "RNN":
                Require(_sequence is not null && _timeMajor && node.Input[0] == current, $"has node {name}, a {node.OpType} not on rows reshaped to [-1, T, F] and transposed to [T, batch, F]");
                layers.Add(Recurrent(node, name, layer(node), _sequence!.Value));
                (_last, _sequence, _timeMajor) = ((Read)layers[^1], null, false);
                break;
            default:
                return false;
        }

        current = output;
        return true;
    }

    private Read Recurrent(NodeProto node, string name, string layer, SequenceShape input)
    {
        foreach (AttributeProto attribute in node.Attribute)
        {
            Require(Array.IndexOf(Attributes, attribute.Name) >= 0, $"has node {name} with the attribute '{ModelFile.Excerpt(attribute.Name)}', which the import does not take (it takes {string.Join(", ", Attributes)})");
        }

        long hidden = node.Attribute.FirstOrDefault(a => a.Name == "hidden_size")?.I ?? 0;
        string direction = node.Attribute.FirstOrDefault(a => a.Name == "direction")?.S.ToStringUtf8() ?? "forward";
        Require(hidden is > 0 and <= 65_536 && direction is "forward" or "bidirectional" && (node.Attribute.FirstOrDefault(a => a.Name == "layout")?.I ?? 0) == 0,
            $"has node {name}, a {node.OpType} whose hidden_size, direction or layout the import does not take (forward or bidirectional, time-major)");
        int directions = direction == "forward" ? 1 : 2;
        long linear = node.Attribute.FirstOrDefault(a => a.Name == "linear_before_reset")?.I ?? 0;
        Require(linear is 0 or 1, $"has node {name} with linear_before_reset {linear} (0 or 1)");
        // torch.onnx.export's zero initial state (and an unused cell-state output) is what the layer does by itself
        Require((node.Input.Count <= 4 || node.Input[4].Length == 0) && node.Input.Skip(5).Take(2).All(value => value.Length == 0 || _zeros.Contains(value)) && node.Input.Count <= 7
            && node.Input.Skip(1).Take(3).All(value => value.Length == 0 || graph.IsConstant(value)),
            $"has node {name}, a {node.OpType} with sequence lengths, an initial state other than zeros, peepholes or weights that are not constants, which the import does not take");
        string[] activations = [.. node.Attribute.FirstOrDefault(a => a.Name == "activations")?.Strings.Select(s => s.ToStringUtf8()) ?? []];
        // a bidirectional node names each direction's activations: taken when they are the same
        activations = directions == 2 && activations.Length == 2 * (activations.Length / 2) && activations.Length > 0 && activations.AsSpan(0, activations.Length / 2).SequenceEqual(activations.AsSpan(activations.Length / 2))
            ? activations[..(activations.Length / 2)] : activations;
        ActivationKind kind = node.OpType != "RNN" ? ActivationKind.Tanh : activations is [] or ["Tanh"] ? ActivationKind.Tanh
            : activations is ["Sigmoid"] ? ActivationKind.Sigmoid : activations is ["Relu"] ? ActivationKind.Relu
            : throw graph.Error($"has node {name}, an RNN with the activations [{string.Join(", ", activations.Select(ModelFile.Excerpt))}] (it takes Tanh, Sigmoid or Relu)");
        Require(node.OpType == "RNN" || activations is [] || activations.SequenceEqual(node.OpType == "LSTM" ? ["Sigmoid", "Tanh", "Tanh"] : ["Sigmoid", "Tanh"]),
            $"has node {name}, a {node.OpType} with other activations than its defaults");
        int h = (int)hidden, g = node.OpType switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        int[] order = node.OpType switch { "LSTM" => [0, 3, 1, 2], "GRU" => [1, 0, 2], _ => [0] };
        Read Direction(int k)
        {
            double[] wx = Gates(node.Input[1], name, "W", input.Features, h, order, k, directions), wh = Gates(node.Input[2], name, "R", h, h, order, k, directions);
            double[]? bx = null, bh = null;
            if (node.Input.Count > 3 && node.Input[3].Length > 0)
            {
                Require(graph.IsConstant(node.Input[3]), $"has node {name} whose B is not a constant");
                (double[] b, long[] dims) = graph.Decode(node.Input[3]);
                Require(dims is [var d, var width] && d == directions && width == 2 * g * h, $"has node {name} whose B is [{string.Join(", ", dims)}], not [{directions}, {2 * g * h}]");
                ReadOnlySpan<double> mine = b.AsSpan(k * 2 * g * h, 2 * g * h);
                (bx, bh) = (Blocks(mine[..(g * h)], h, order), Blocks(mine[(g * h)..], h, order));
            }

            return new Read(layer, node.OpType, input, h, kind, wx, wh, bx, bh) { Y = node.Output[0], State = node.Output.Count > 1 ? node.Output[1] : "", Form = linear == 1 ? GruForm.PyTorch : GruForm.ResetBeforeProduct };
        }

        return directions == 1 ? Direction(0) : Direction(0) with { Reverse = Direction(1) };
    }

    /// <summary>Direction k of ONNX's <c>[directions, G·H, rows]</c> (gates in ONNX's order) as the library's <c>[rows, G·H]</c>.</summary>
    private double[] Gates(string value, string name, string what, int rows, int h, int[] order, int direction, int directions)
    {
        Require(graph.IsConstant(value), $"has node {name} whose {what} is not a constant");
        (double[] all, long[] dims) = graph.Decode(value);
        int g = order.Length;
        Require(dims is [var d, var gh, var r] && d == directions && gh == g * h && r == rows, $"has node {name} whose {what} is [{string.Join(", ", dims)}], not [{directions}, {g * h}, {rows}]");
        ReadOnlySpan<double> onnx = all.AsSpan(direction * g * h * rows, g * h * rows);
        var library = new double[rows * g * h];
        for (int k = 0; k < g; k++)
        {
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < rows; i++)
                {
                    library[(i * g * h) + (order[k] * h) + j] = onnx[(((k * h) + j) * rows) + i];
                }
            }
        }

        return library;
    }

    private static double[] Blocks(ReadOnlySpan<double> onnx, int h, int[] order)
    {
        var library = new double[onnx.Length];
        for (int k = 0; k < order.Length; k++)
        {
            onnx.Slice(k * h, h).CopyTo(library.AsSpan(order[k] * h));
        }

        return library;
    }

    /// <summary>
    /// Takes a node of the zero initial state's subgraph: Shape of the chain's value, Gather, Unsqueeze and Concat of
    /// what that gave and constants, and ConstantOfShape of zeros.
    /// </summary>
    private bool Side(NodeProto node, string name, string current)
    {
        bool fromSide = node.Input.Count > 0 && node.Input.All(value => value.Length == 0 || _side.Contains(value) || graph.IsConstant(value)) && node.Input.Any(_side.Contains);
        bool taken = node.OpType switch
        {
            "Shape" => node.Input.Count == 1 && (node.Input[0] == current || node.Input[0] == graph.Input.Name),
            "Gather" or "Unsqueeze" or "Concat" => fromSide,
            "ConstantOfShape" => fromSide && Zero(node, name),
            _ => false,
        };
        if (taken)
        {
            _side.Add(node.Output[0]);
            if (node.OpType == "ConstantOfShape")
            {
                _zeros.Add(node.Output[0]);
            }
        }

        return taken;
    }

    private bool Zero(NodeProto node, string name)
    {
        TensorProto? value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
        Require(value is null || (value.RawData.All(b => b == 0) && value.FloatData.All(v => v == 0) && value.DoubleData.All(v => v == 0)),
            $"has node {name}, a ConstantOfShape of other than zeros (an initial state the import does not take)");
        return true;
    }

    private long[] Axes(NodeProto node, string name) => node.Input.Count > 1 && graph.IsConstant(node.Input[1])
        ? graph.Integers(node.Input[1], name, most: 4) : [.. node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints ?? []];

    private static long Axis(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;

    private long? Index(NodeProto node, string name) => node.Input.Count == 2 && graph.IsConstant(node.Input[1]) && graph.Integers(node.Input[1], name, most: 1) is [var index] ? index : null;

    private long[] Shape(NodeProto node, string name) =>
        node.Input.Count == 2 && graph.IsConstant(node.Input[1]) ? graph.Integers(node.Input[1], name, most: 4) : [];

    private static long[] Perm(NodeProto node) => [.. node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints ?? []];

    private void Require(bool condition, string problem) => graph.Require(condition, problem);
}
