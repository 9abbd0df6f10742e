using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>
/// The attributes the import reads, operator by operator: any other is refused by name — a misspelled one would
/// otherwise be dropped silently and its value lost (the recurrent operators check theirs in <see cref="OnnxRecurrentReader"/>).
/// </summary>
internal static class OnnxAttributes
{
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        ["Gemm"] = ["alpha", "beta", "transA", "transB"],
        ["LeakyRelu"] = ["alpha"],
        ["Softmax"] = ["axis"],
        ["Gelu"] = ["approximate"],
        ["Cast"] = ["to", "saturate"],
        ["Flatten"] = ["axis"],
        ["Dropout"] = ["ratio", "seed", "is_test"],
        ["Reshape"] = ["allowzero"],
        ["Conv"] = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"],
        ["MaxPool"] = ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"],
        ["BatchNormalization"] = ["epsilon", "momentum", "training_mode", "spatial"],
        ["Transpose"] = ["perm"],
        ["Squeeze"] = ["axes"],
        ["Unsqueeze"] = ["axes"],
        ["Gather"] = ["axis"],
        ["Concat"] = ["axis"],
        ["ConstantOfShape"] = ["value"],
        ["Shape"] = ["start", "end"],
        ["RNN"] = ["hidden_size", "direction", "activations", "layout"],
        ["LSTM"] = ["hidden_size", "direction", "activations", "layout"],
        ["GRU"] = ["hidden_size", "direction", "activations", "linear_before_reset", "layout"],
    };

    /// <summary>Refuses an attribute the import does not read on <paramref name="node"/>.</summary>
    /// <exception cref="Data.DataFormatException">The node has one; the message names it and the node.</exception>
    public static void Check(OnnxGraph graph, NodeProto node, string name)
    {
        string[] known = Known.GetValueOrDefault(node.OpType) ?? [];
        foreach (AttributeProto attribute in node.Attribute)
        {
            graph.Require(Array.IndexOf(known, attribute.Name) >= 0,
                $"has node {name} with the attribute '{ModelFile.Excerpt(attribute.Name)}', which the import does not read on {node.OpType} ({(known.Length == 0 ? "it takes none" : $"it reads {string.Join(", ", known)}")})");
        }
    }
}
