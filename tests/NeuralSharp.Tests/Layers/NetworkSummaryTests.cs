using NeuralSharp.Activations;
using NeuralSharp.Layers;

namespace NeuralSharp.Tests.Layers;

public sealed class NetworkSummaryTests
{
    [Fact]
    public void Lists_layers_output_shapes_and_parameter_counts()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 40, 10], ActivationKind.Relu, ActivationKind.Softmax);
        IReadOnlyList<NetworkSummary.Row> rows = net.Rows();
        Assert.Equal(["dense1", "relu1", "dense2", "softmax1"], rows.Select(r => r.Name));
        Assert.Equal([31_400, 0, 410, 0], rows.Select(r => r.Parameters));
        Assert.Equal("[batch, 40]", rows[1].OutputShape);
        string text = net.Summary();
        Assert.Contains("Total parameters: 31,810", text, StringComparison.Ordinal);
        Assert.Contains("Dense 784→40", text, StringComparison.Ordinal);
    }
}
