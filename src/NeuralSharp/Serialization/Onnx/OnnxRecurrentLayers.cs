using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// Day 3's layers as ONNX's own recurrent operators. The rows <c>[batch, T·F]</c> become <c>[T, batch, F]</c>
/// (<c>Reshape</c>, <c>Transpose</c>: the operators' default layout), then one <c>RNN</c>, <c>LSTM</c> or <c>GRU</c> node
/// (forward, one layer) whose last state <c>Y_h [1, batch, H]</c> or every state <c>Y [T, 1, batch, H]</c> goes back to rows.
/// ONNX keeps W <c>[1, G·H, F]</c> and R <c>[1, G·H, H]</c> (the library's W_x and W_h transposed) and
/// B = <c>[W_b, R_b]</c> (b_x then b_h), with its own gate orders: LSTM <b>i, o, f, c</b> (the library's and PyTorch's
/// i, f, g, o), GRU <b>z, r, h</b> (r, z, n) with <c>linear_before_reset = 1</c> (the reset gate on the state's product).
/// A dense layer at every step is a <c>Gemm</c> over the rows <c>[batch·T, H]</c>.
/// </summary>
internal static class OnnxRecurrentLayers
{
    /// <summary>The library's gate blocks in ONNX's order: ONNX block k holds the library's block Order[k].</summary>
    public static int[] Order<T>(RecurrentLayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> => layer switch
        {
            Lstm<T> => [0, 3, 1, 2],
            Gru<T> => [1, 0, 2],
            _ => [0],
        };

    /// <remarks>With <paramref name="backward"/>, both directions in one node (<c>direction = bidirectional</c>, the
    /// weights stacked forward then backward): the last step is both final states, Y_h <c>[2, batch, H]</c> → <c>[batch, 2H]</c>.</remarks>
    public static string Recurrent<T>(GraphProto graph, RecurrentLayer<T> layer, string name, string input, string output, RecurrentLayer<T>? backward = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = layer.Input.Steps, features = layer.Input.Features, h = layer.Hidden, g = layer.Gates, directions = backward is null ? 1 : 2;
        string sequences = Reshape(graph, $"{name}.sequences", input, -1, steps, features);
        graph.Node.Add(new NodeProto { OpType = "Transpose", Name = $"{name}.time_major", Input = { sequences }, Output = { $"{name}.x" }, Attribute = { OnnxImageLayers.Ints("perm", 1, 0, 2) } });
        int[] order = Order(layer);
        T[] w = Gates(layer.InputWeights.Value.AsSpan(), features, h, order), r = Gates(layer.StateWeights.Value.AsSpan(), h, h, order);
        if (backward is not null)
        {
            (w, r) = ([.. w, .. Gates(backward.InputWeights.Value.AsSpan(), features, h, order)], [.. r, .. Gates(backward.StateWeights.Value.AsSpan(), h, h, order)]);
        }

        var node = new NodeProto
        {
            OpType = layer switch { Lstm<T> => "LSTM", Gru<T> => "GRU", _ => "RNN" },
            Name = name,
            Input = { $"{name}.x", OnnxWriter.NDArray<T>(graph, $"{name}.W", w, directions, g * h, features), OnnxWriter.NDArray<T>(graph, $"{name}.R", r, directions, g * h, h) },
            Output = { $"{name}.y", $"{name}.y_h" },
            Attribute = { new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = h } },
        };
        if (layer.HasBias)
        {
            T[] bias = [.. Blocks(layer.InputBias.Value.AsSpan(), h, order), .. Blocks(layer.StateBias.Value.AsSpan(), h, order)];
            if (backward is not null)
            {
                bias = [.. bias, .. Blocks(backward.InputBias.Value.AsSpan(), h, order), .. Blocks(backward.StateBias.Value.AsSpan(), h, order)];
            }

            node.Input.Add(OnnxWriter.NDArray<T>(graph, $"{name}.B", bias, directions, 2 * g * h));
        }

        if (layer is SimpleRnn<T> rnn)
        {
            var activations = new AttributeProto { Name = "activations", Type = AttributeProto.Types.AttributeType.Strings };
            activations.Strings.Add(Google.Protobuf.ByteString.CopyFromUtf8(NeuralSharp.Activations.Activation.Info(rnn.Activation.Kind).OnnxOp));
            node.Attribute.Add(activations);
        }
        else if (layer is Gru<T> gru)
        {
            node.Attribute.Add(new AttributeProto { Name = "linear_before_reset", Type = AttributeProto.Types.AttributeType.Int, I = gru.Form == GruForm.PyTorch ? 1 : 0 });
        }

        if (backward is not null)
        {
            node.Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("bidirectional") });
            if (layer is SimpleRnn<T>)
            {
                // one activation per direction
                node.Attribute.Single(a => a.Name == "activations").Strings.Add(node.Attribute.Single(a => a.Name == "activations").Strings[0]);
            }
        }

        graph.Node.Add(node);
        if (layer.Output == RecurrentOutput.LastStep && backward is null)
        {
            return Reshape(graph, output, $"{name}.y_h", -1, h);
        }

        if (layer.Output == RecurrentOutput.LastStep)
        {
            // Y_h [2, batch, H] → [batch, 2, H] → rows of 2H
            graph.Node.Add(new NodeProto { OpType = "Transpose", Name = $"{name}.final", Input = { $"{name}.y_h" }, Output = { $"{name}.y_h_batch" }, Attribute = { OnnxImageLayers.Ints("perm", 1, 0, 2) } });
            return Reshape(graph, output, $"{name}.y_h_batch", -1, 2 * h);
        }

        // Y [T, directions, batch, H] → [batch, T, directions, H] → rows of T·directions·H
        graph.Node.Add(new NodeProto { OpType = "Transpose", Name = $"{name}.batch_major", Input = { $"{name}.y" }, Output = { $"{name}.y_batch" }, Attribute = { OnnxImageLayers.Ints("perm", 2, 0, 1, 3) } });
        return Reshape(graph, output, $"{name}.y_batch", -1, steps * directions * h);
    }

    public static string TimeDistributed<T>(GraphProto graph, TimeDistributedDense<T> layer, string name, string input, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string rows = Reshape(graph, $"{name}.steps", input, -1, layer.Inputs);
        string weights = OnnxWriter.NDArray<T>(graph, $"{name}.W", layer.Weights.Value.AsSpan(), layer.Inputs, layer.Outputs);
        string bias = OnnxWriter.NDArray<T>(graph, $"{name}.b", layer.Bias.Value.AsSpan(), layer.Outputs);
        graph.Node.Add(new NodeProto { OpType = "Gemm", Name = name, Input = { rows, weights, bias }, Output = { $"{name}.u_steps" } });
        return Reshape(graph, output, $"{name}.u_steps", -1, layer.Steps * layer.Outputs);
    }

    /// <summary>An embedding: the ids cast to int64, <c>Gather</c> of W's rows, the vectors as rows of T·D.</summary>
    public static string Embedding<T>(GraphProto graph, Embedding<T> layer, string name, string input, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        graph.Node.Add(new NodeProto
        {
            OpType = "Cast", Name = $"{name}.ids", Input = { input }, Output = { $"{name}.ids" },
            Attribute = { new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Int64 } },
        });
        string weights = OnnxWriter.NDArray<T>(graph, $"{name}.W", layer.Weights.Value.AsSpan(), layer.Vocabulary, layer.Dimension);
        graph.Node.Add(new NodeProto { OpType = "Gather", Name = name, Input = { weights, $"{name}.ids" }, Output = { $"{name}.vectors" } });
        return Reshape(graph, output, $"{name}.vectors", -1, layer.Steps * layer.Dimension);
    }

    /// <summary>A <c>[rows, G·H]</c> matrix of the library as ONNX's <c>[G·H, rows]</c>, its gate blocks in ONNX's order.</summary>
    private static T[] Gates<T>(ReadOnlySpan<T> weights, int rows, int h, int[] order)
    {
        int g = order.Length;
        var onnx = new T[g * h * rows];
        for (int k = 0; k < g; k++)
        {
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < rows; i++)
                {
                    onnx[(((k * h) + j) * rows) + i] = weights[(i * g * h) + (order[k] * h) + j];
                }
            }
        }

        return onnx;
    }

    private static T[] Blocks<T>(ReadOnlySpan<T> bias, int h, int[] order)
    {
        var onnx = new T[order.Length * h];
        for (int k = 0; k < order.Length; k++)
        {
            bias.Slice(order[k] * h, h).CopyTo(onnx.AsSpan(k * h));
        }

        return onnx;
    }

    private static string Reshape(GraphProto graph, string output, string input, params long[] dims)
    {
        var shape = new TensorProto { Name = $"{output}.shape", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { dims.Length } };
        shape.Int64Data.Add(dims);
        graph.Initializer.Add(shape);
        graph.Node.Add(new NodeProto { OpType = "Reshape", Name = $"{output}.reshape", Input = { input, shape.Name }, Output = { output } });
        return output;
    }
}
