using NeuralSharp.Losses;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Losses;

public sealed class LossTests
{
    private static readonly NDArray<double> Y = NDArray.FromArray(new[,] { { 0.1, 0.7, 0.2 }, { 0.5, 0.25, 0.25 } });
    private static readonly NDArray<double> OneHot = NDArray.FromArray(new[,] { { 0.0, 1, 0 }, { 0.0, 0, 1 } });
    private static readonly NDArray<double> Labels = NDArray.Vector(1.0, 2);

    [Fact]
    public void Cross_entropy_is_the_mean_negative_log_of_the_target_probability()
    {
        double expected = -(Math.Log(0.7 + 1e-7) + Math.Log(0.25 + 1e-7)) / 2;
        Expect.Close(expected, new CrossEntropy<double>().Compute(Y, OneHot), 1e-15);
        Expect.Close(expected, new CrossEntropy<double>().Compute(Y, Labels), 1e-15);
    }

    [Fact]
    public void Class_weights_make_a_weighted_mean_as_PyTorch_computes_it()
    {
        // PyTorch's F.cross_entropy(weight=w): Σ_n w[d_n]·(−log p_n) / Σ_n w[d_n]
        double[] w = [1, 3, 0.5];
        double expected = ((3 * -Math.Log(0.7)) + (0.5 * -Math.Log(0.25))) / 3.5;
        var weighted = new CrossEntropy<double>(epsilon: 0, classWeights: w);
        Expect.Close(expected, weighted.Compute(Y, Labels), 1e-15);
        Expect.Close(expected, weighted.Compute(Y, OneHot), 1e-15);
        // all weights equal: the plain mean
        Expect.Close(new CrossEntropy<double>(0).Compute(Y, Labels), new CrossEntropy<double>(0, [2, 2, 2]).Compute(Y, Labels), 1e-15);
        // binary: [w0, w1] by the row's target
        var y = NDArray.FromArray(new[,] { { 0.8 }, { 0.3 }, { 0.6 } });
        var d = NDArray.FromArray(new[,] { { 1.0 }, { 0 }, { 0 } });
        double binary = ((4 * -Math.Log(0.8)) + (1 * -Math.Log(0.7)) + (1 * -Math.Log(0.4))) / 6;
        Expect.Close(binary, new BinaryCrossEntropy<double>(0, [1, 4]).Compute(y, d), 1e-15);
        Assert.Throws<ShapeMismatchException>(() => weighted.Compute(NDArray.FromArray(new[,] { { 0.5, 0.5 } }), NDArray.Vector(1.0)));
        Assert.Throws<ArgumentException>(() => new CrossEntropy<double>(0, [1, -1]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Class_weighted_gradients_fused_and_not_agree_with_central_differences(bool binary)
    {
        // softmax + weighted cross entropy (fused: ω_n·(y − d)/Σω), and the same loss behind an identity output
        // (unfused: its Gradient through the chain), each against the numerical derivative of the weighted loss
        var random = new NeuralSharp.Randomness.SeededRandom(3);
        foreach (bool fused in new[] { true, false })
        {
            int outputs = binary ? 1 : 3;
            NeuralSharp.Layers.Sequential<double> network = NeuralSharp.Layers.NetworkBuilder<double>.FromSizes([4, 5, outputs], NeuralSharp.Activations.ActivationKind.Tanh,
                fused ? (binary ? NeuralSharp.Activations.ActivationKind.Sigmoid : NeuralSharp.Activations.ActivationKind.Softmax) : NeuralSharp.Activations.ActivationKind.Sigmoid, seed: 5, new NeuralSharp.Init.Normal(0.7));
            var x = new NDArray<double>(6, 4);
            new NeuralSharp.Init.Normal(1).Fill(x.AsSpan(), 4, 6, random);
            NDArray<double> d = binary ? NDArray.FromArray(new[,] { { 1.0 }, { 0 }, { 0 }, { 1 }, { 0 }, { 0 } }) : NDArray.Vector(0.0, 2, 1, 2, 2, 0);
            ILoss<double> loss = binary ? new BinaryCrossEntropy<double>(0, [1, 5]) : fused ? new CrossEntropy<double>(0, [1, 4, 0.5]) : new CrossEntropy<double>(0, [1, 4, 0.5]);
            if (!fused && !binary)
            {
                // a sigmoid output is no distribution, but the weighted cross entropy is still a function to check
                d = NDArray.FromArray(new[,] { { 1.0, 0, 0 }, { 0, 0, 1 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 1 }, { 1, 0, 0 } });
            }

            NeuralSharp.Diagnostics.GradientCheckReport report = NeuralSharp.Diagnostics.GradientCheck.Run(network, x, d, loss);
            Assert.True(report.MaxRelativeError < 1e-7, $"binary {binary}, fused {fused}: {report.MaxRelativeError:E2}");
        }
    }

    [Fact]
    public void Cross_entropy_of_a_zero_probability_is_finite()
    {
        double loss = new CrossEntropy<double>().Compute(NDArray.Row(0.0, 1.0), NDArray.Row(1.0, 0.0));
        Assert.True(double.IsFinite(loss));
        Expect.Close(-Math.Log(1e-7), loss, 1e-12);
        float lossF = new CrossEntropy<float>().Compute(NDArray.Row(0f, 1f), NDArray.Vector(0f));
        Assert.True(float.IsFinite(lossF));
    }

    [Fact]
    public void Class_indices_and_one_hot_give_the_same_gradient()
    {
        var loss = new CrossEntropy<double>();
        var fromOneHot = new NDArray<double>(Y.Shape);
        var fromLabels = new NDArray<double>(Y.Shape);
        loss.Gradient(Y, OneHot, fromOneHot);
        loss.Gradient(Y, Labels, fromLabels);
        Assert.Equal(fromOneHot.ToArray(), fromLabels.ToArray());
        loss.FusedDelta(Y, Labels, fromLabels);
        Expect.Close([0.05, -0.15, 0.1, 0.25, 0.125, -0.375], fromLabels, 1e-15);
    }

    [Fact]
    public void Squared_error_reductions()
    {
        NDArray<double> d = NDArray.FromArray(new[,] { { 0.0, 1, 0 }, { 1.0, 0, 0 } });
        double sumOfSquares = 0.01 + 0.09 + 0.04 + 0.25 + 0.0625 + 0.0625;
        Expect.Close(sumOfSquares / 2 / 6, new SquaredError<double>().Compute(Y, d), 1e-15);
        Expect.Close(sumOfSquares / 2 / 2, new SquaredError<double>(SquaredErrorReduction.SumPerSample).Compute(Y, d), 1e-15);
        var gradient = new NDArray<double>(Y.Shape);
        new SquaredError<double>(SquaredErrorReduction.SumPerSample).Gradient(Y, d, gradient);
        Expect.Close([0.05, -0.15, 0.1, -0.25, 0.125, 0.125], gradient, 1e-15);
    }

    [Fact]
    public void Binary_cross_entropy_counts_both_outcomes()
    {
        NDArray<double> y = NDArray.FromArray(new[,] { { 0.8 }, { 0.3 } });
        NDArray<double> d = NDArray.FromArray(new[,] { { 1.0 }, { 0.0 } });
        double expected = -(Math.Log(0.8 + 1e-7) + Math.Log(0.7 + 1e-7)) / 2;
        Expect.Close(expected, new BinaryCrossEntropy<double>().Compute(y, d), 1e-15);
        var delta = new NDArray<double>(y.Shape);
        new BinaryCrossEntropy<double>().FusedDelta(y, d, delta);
        Expect.Close([-0.1, 0.15], delta, 1e-15);
    }

    [Fact]
    public void Targets_of_the_wrong_shape_name_both_shapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new CrossEntropy<double>().Compute(Y, NDArray.Row(1.0, 0)));
        Assert.Equal("Cross entropy expects targets [2, 3] (one-hot) or [2] (class indices) but got [1, 2].", error.Message);
        var mse = Assert.Throws<ShapeMismatchException>(() => new SquaredError<double>().Compute(Y, Labels));
        Assert.Contains("[2, 3]", mse.Message, StringComparison.Ordinal);
        Assert.Contains("[2]", mse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_index_out_of_range_is_refused_with_its_row()
    {
        var error = Assert.Throws<ArgumentException>(() => new CrossEntropy<double>().Compute(Y, NDArray.Vector(1.0, 3)));
        Assert.Contains("row 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("0..2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_saturated_output_gives_a_loss_of_zero_never_below()
    {
        // train --optimizer adam --lr 1e6 once reported a cross entropy of −1.19e-7: log(1 + 1e-7) of a probability of 1
        Assert.Equal(0f, new CrossEntropy<float>().Compute(NDArray.Row(1f, 0f), NDArray.Vector(0f)));
        Assert.Equal(0.0, new CrossEntropy<double>().Compute(NDArray.Row(1.0, 0.0), NDArray.Row(1.0, 0.0)));
        Assert.Equal(0f, new BinaryCrossEntropy<float>().Compute(NDArray.Row(1f), NDArray.Row(1f)));
        Assert.Equal(0f, new BinaryCrossEntropy<float>().Compute(NDArray.Row(0f), NDArray.Row(0f)));
    }
}
