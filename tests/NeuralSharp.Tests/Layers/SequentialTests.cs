using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Layers;

public sealed class SequentialTests
{
    [Fact]
    public void Throws_when_input_width_differs_naming_layer_and_both_shapes()
    {
        Sequential<double> net = CourseNetworks.TwoThreeTwo(ActivationKind.Identity);
        var error = Assert.Throws<ShapeMismatchException>(() => net.Forward(NDArray.Row(1.0, 2.0, 3.0)));
        Assert.Equal("Dense layer 'dense1' expects input [batch, 2] but got [1, 3].", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Refuses_non_finite_input_naming_row_and_column(double bad, string name)
    {
        Sequential<double> net = CourseNetworks.TwoThreeTwo(ActivationKind.Identity);
        var x = NDArray.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, bad } });
        var error = Assert.Throws<NonFiniteValueException>(() => net.Forward(x));
        Assert.Equal($"Input x has {name} at row 1, column 1; only finite numbers can be used.", error.Message);
    }

    [Fact]
    public void Refuses_non_finite_targets()
    {
        Sequential<double> net = CourseNetworks.TwoThreeTwo(ActivationKind.Identity);
        var error = Assert.Throws<NonFiniteValueException>(() =>
            net.ComputeGradients(NDArray.Row(1.0, 2.0), NDArray.Row(double.NaN, 1.0), new SquaredError<double>()));
        Assert.Contains("Targets d has NaN at row 0, column 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_layers_whose_widths_do_not_chain()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new Sequential<double>(
            new Dense<double>(2, 3), new ActivationLayer<double>(ActivationKind.Relu), new Dense<double>(4, 1)));
        Assert.Contains("'dense2' expects input [batch, 4] but got [batch, 3]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 3, 1 })]
    [InlineData(new[] { 3, 10, 5, 4 })]
    [InlineData(new[] { 784, 40, 10 })]
    public void Builds_any_depth_and_width(int[] sizes)
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes(sizes, ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        NDArray<float> y = net.Forward(new NDArray<float>(5, sizes[0]));
        Assert.Equal(new Shape(5, sizes[^1]), y.Shape);
        Assert.Equal(Enumerable.Range(0, sizes.Length - 1).Sum(i => (sizes[i] + 1) * sizes[i + 1]), net.ParameterCount);
        Assert.Equal(
            Enumerable.Range(1, sizes.Length - 1).SelectMany(i => new[] { $"dense{i}.W", $"dense{i}.b" }),
            net.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Names_layers_by_kind_and_position()
    {
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 3, 3, 1], ActivationKind.Relu, ActivationKind.Sigmoid);
        Assert.Equal(["dense1", "relu1", "dense2", "relu2", "dense3", "sigmoid1"], net.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Fuses_softmax_with_cross_entropy_and_sigmoid_with_binary_cross_entropy_only()
    {
        Assert.True(CourseNetworks.TwoThreeTwo(ActivationKind.Softmax).IsFused(new CrossEntropy<double>()));
        Assert.True(CourseNetworks.TwoThreeTwo(ActivationKind.Sigmoid).IsFused(new BinaryCrossEntropy<double>()));
        Assert.False(CourseNetworks.TwoThreeTwo(ActivationKind.Sigmoid).IsFused(new CrossEntropy<double>()));
        Assert.False(CourseNetworks.TwoThreeTwo(ActivationKind.Identity).IsFused(new SquaredError<double>()));
    }

    [Fact]
    public void Allocates_nothing_per_forward_and_backward_after_the_first_call()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 40, 10], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        var loss = new CrossEntropy<float>();
        var x = new NDArray<float>(100, 784);
        var labels = new NDArray<float>(new Shape(100));
        var small = new NDArray<float>(1, 784);
        var smallLabel = new NDArray<float>(new Shape(1));
        net.ComputeGradients(x, labels, loss);
        net.ComputeGradients(small, smallLabel, loss);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            net.ComputeGradients(x, labels, loss);
            net.ComputeGradients(small, smallLabel, loss);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Backward_before_forward_says_what_to_do()
    {
        var dense = new Dense<double>(2, 3, "hidden1");
        var error = Assert.Throws<InvalidOperationException>(() => dense.Backward(new NDArray<double>(1, 3)));
        Assert.Contains("call Forward before Backward", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_beyond_the_parameter_budget_is_refused_with_the_figure_before_any_allocation()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ArgumentException>(() => NetworkBuilder<float>.FromSizes([784, 100_000, 100_000, 10], ActivationKind.Relu, ActivationKind.Softmax));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
        Assert.Contains("10,079,600,010 parameters", error.Message, StringComparison.Ordinal);
        Assert.Contains("the limit is 50,000,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conv_net_is_counted_against_the_budget_with_its_pooling()
    {
        // 1×100×100 → 50 filters of 1×1 (100 parameters) → pool 10 → 50×10×10 = 5,000 → dense 20,000
        var error = Assert.Throws<ArgumentException>(() => new NetworkBuilder<float>(new ImageShape(1, 100, 100))
            .Conv2D(50, 1).MaxPool2D(10).Dense(20_000, ActivationKind.Relu).Build());
        Assert.Contains("100,020,100 parameters", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkBuilder<float>(new ImageShape(1, 8, 8)).Conv2D(2, 3, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkBuilder<float>(new ImageShape(1, 8, 8)).MaxPool2D(2, stride: 0));
    }
}
