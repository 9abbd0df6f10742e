using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Layers;

namespace NeuralSharp.Tests.Init;

/// <summary>Given weights: a matrix checked against the layer's [in, out], PyTorch's [out, in] refused by name or taken through FromPyTorch.</summary>
public sealed class LiteralTests
{
    private static readonly double[,] W = { { 0.1, 0.3, 0.5 }, { 0.2, 0.4, 0.6 } }; // [in 2, out 3]

    private static Sequential<double> Net(IInitializer weights, IInitializer? bias = null) =>
        new NetworkBuilder<double>(2).Dense(3, ActivationKind.Identity, weights, bias).Build(seed: 1);

    [Fact]
    public void A_matrix_of_the_layers_shape_sets_w_as_the_course_writes_it()
    {
        Sequential<double> net = Net(new Literal(W), new Literal(new double[,] { { 1, 2, 3 } }));
        Assert.Equal([0.1, 0.3, 0.5, 0.2, 0.4, 0.6], net.Parameters[0].Value.ToArray());
        Assert.Equal([1.0, 2, 3], net.Parameters[1].Value.ToArray());
        // u = xW + b for x = [1, 2]
        Assert.Equal([1 + 0.5, 2 + 1.1, 3 + 1.7], net.Predict(NDArray.FromArray(new[,] { { 1.0, 2.0 } })).ToArray().Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void PyTorchs_out_in_layout_is_refused_by_name_or_taken_through_FromPyTorch()
    {
        double[,] torch = { { 0.1, 0.2 }, { 0.3, 0.4 }, { 0.5, 0.6 } }; // nn.Linear(2, 3).weight: [out 3, in 2]
        var error = Assert.Throws<ShapeMismatchException>(() => Net(new Literal(torch)));
        Assert.Contains("PyTorch's [out, in]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Literal.FromPyTorch", error.Message, StringComparison.Ordinal);
        Assert.Equal(Net(new Literal(W)).Parameters[0].Value.ToArray(), Net(Literal.FromPyTorch(torch)).Parameters[0].Value.ToArray());
    }

    [Fact]
    public void A_matrix_of_another_shape_is_refused_with_both_shapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Net(new Literal(new double[,] { { 1, 2 }, { 3, 4 } })));
        Assert.Contains("[2, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[in, out] = [2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ShapeMismatchException>(() => Net(new Literal(0.1, 0.2)));
    }
}
