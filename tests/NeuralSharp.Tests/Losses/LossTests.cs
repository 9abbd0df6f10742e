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
