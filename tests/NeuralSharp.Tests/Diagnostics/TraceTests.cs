using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Diagnostics;

public sealed class TraceTests
{
    [Fact]
    public void Records_every_value_of_a_2_3_3_1_network_in_the_course_order()
    {
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 3, 3, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 4);
        Trace<double> trace = Trace<double>.Record(net, NDArray.Row(1.0, 2.0), NDArray.Row(0.5), new SquaredError<double>());

        Assert.Equal(
            ["x", "W1", "b1", "u1", "z1", "W2", "b2", "u2", "z2", "W3", "b3", "u3", "y", "d", "E",
             "delta3", "dW3", "db3", "delta2", "dW2", "db2", "delta1", "dW1", "db1"],
            trace.Select(entry => entry.Label));
        Assert.Equal(new Shape(2, 3), trace["W1"].Shape);
        Assert.Equal(new Shape(1, 3), trace["u2"].Shape);
        Assert.Equal(new Shape(3, 1), trace["dW3"].Shape);
        Assert.Equal(TraceQuantity.HiddenOutput, trace["z1"].Quantity);
        Assert.Equal(TracePhase.Backward, trace["delta1"].Phase);
        Assert.Equal("dense2", trace["dW2"].Layer);
    }

    [Fact]
    public void Values_agree_with_the_network_and_are_copies()
    {
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 3, 1], ActivationKind.Sigmoid, ActivationKind.Identity, seed: 4);
        NDArray<double> x = NDArray.Row(0.3, -0.6);
        Trace<double> trace = Trace<double>.Record(net, x, NDArray.Row(0.5), new SquaredError<double>());

        double[] u1 = trace["u1"].Value.ToArray();
        double[] z1 = trace["z1"].Value.ToArray();
        Assert.Equal(u1.Select(u => 1 / (1 + Math.Exp(-u))), z1, (a, b) => Math.Abs(a - b) < 1e-15);
        // δ1 = (δ2 · W2ᵀ) ⊙ z1(1 − z1)
        double delta2 = trace["delta2"].Value[0];
        double[] w2 = trace["W2"].Value.ToArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(delta2 * w2[j] * z1[j] * (1 - z1[j]), trace["delta1"].Value[j], 15);
        }

        net.Forward(NDArray.Row(5.0, 5.0));
        Assert.Equal(u1, trace["u1"].Value.ToArray());
    }

    [Fact]
    public void Prints_like_print_vec()
    {
        Trace<double> trace = Trace<double>.Record(CourseNetworks.TwoThreeTwo(ActivationKind.Softmax),
            NDArray.Row(1.0, 5.0), NDArray.Row(0.0, 1.0), new CrossEntropy<double>());
        Assert.Equal("*** u1 [1, 3] ***" + Environment.NewLine + "[[1.2, 2.5, 3.8]]", trace["u1"].ToString());
        Assert.Throws<KeyNotFoundException>(() => trace["z9"]);
    }
}

/// <summary>The trace of a convolutional network: the filters as W, the feature maps as u, the pooled maps, δ and ∂E/∂W.</summary>
public sealed class ConvTraceTests
{
    [Fact]
    public void A_conv_layer_is_traced_like_a_dense_one()
    {
        var conv = new NeuralSharp.Layers.Conv2D<double>(new NeuralSharp.Layers.ImageShape(1, 4, 4), 2, 3, 3);
        for (int i = 0; i < conv.Weights.Value.Length; i++)
        {
            conv.Weights.Value[i] = 0.1 * (i - 9);
        }

        var pool = new NeuralSharp.Layers.MaxPool2D<double>(conv.Output, 2);
        var network = new NeuralSharp.Layers.Sequential<double>(conv, new NeuralSharp.Layers.ActivationLayer<double>(NeuralSharp.Activations.ActivationKind.Relu), pool,
            new NeuralSharp.Layers.Flatten<double>(pool.Output), new NeuralSharp.Layers.Dense<double>(2, 1), new NeuralSharp.Layers.ActivationLayer<double>(NeuralSharp.Activations.ActivationKind.Identity));
        var x = new NDArray<double>(new Shape(1, 16), [.. Enumerable.Range(0, 16).Select(i => i / 16.0)]);
        var trace = NeuralSharp.Diagnostics.Trace<double>.Record(network, x, new NDArray<double>(new Shape(1, 1), [1.0]), new NeuralSharp.Losses.SquaredError<double>());
        Assert.Equal(new Shape(9, 2), trace["W1"].Value.Shape);
        Assert.Equal(new Shape(1, 8), trace["u1"].Value.Shape);
        Assert.Equal(new Shape(1, 2), trace["pool1"].Value.Shape);
        Assert.Equal(new Shape(9, 2), trace["dW1"].Value.Shape);
        Assert.Equal(conv.Weights.Gradient.ToArray(), trace["dW1"].Value.ToArray());
        Assert.Equal(["x", "W1", "b1", "u1", "z1", "pool1", "W2", "b2", "u2", "y", "d", "E", "delta2", "dW2", "db2", "delta1", "dW1", "db1"], trace.Select(e => e.Label));
    }
}
