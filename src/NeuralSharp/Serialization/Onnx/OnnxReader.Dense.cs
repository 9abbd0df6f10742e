using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>A dense layer read from <c>Gemm</c> (any transB, alpha and beta) or <c>MatMul</c> [+ <c>Add</c>].</summary>
internal sealed partial class OnnxReader
{
    private sealed record Dense(string Name, double[] Weights, int Inputs, int Outputs)
    {
        public double[] Bias { get; set; } = new double[Outputs];

        public bool HasBias { get; set; }
    }

    private Dense Gemm(NodeProto node, string name, List<string> others, int width)
    {
        Require(node.Input.Count is 2 or 3 && others.Count >= 1 && node.Input[1] == others[0], $"has node {name}, a Gemm whose weight is not its second input");
        (double[] b, long[] dims) = _graph.Matrix(others[0], name);
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
            double[] c = _graph.Vector(node.Input[2], outputs, name, "bias C");
            dense.Bias = [.. c.Select(value => beta * value)];
            dense.HasBias = true;
        }

        return dense;
    }
}
