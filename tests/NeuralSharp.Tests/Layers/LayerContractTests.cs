using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Layers;

/// <summary>One harness run for every layer: output shape, determinism, reuse of buffers, and backward against a
/// numerical gradient of <c>E = Σ c ⊙ layer(x)</c> for the input and every parameter.</summary>
public sealed class LayerContractTests
{
    public static TheoryData<string> Layers() =>
        ["dense", .. Enum.GetValues<ActivationKind>().Select(Activation.NameOf)];

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_honours_the_contract(string name)
    {
        ILayer<double> layer = name == "dense"
            ? Filled(new Dense<double>(4, 3, "test"))
            : new ActivationLayer<double>(Activation.Parse(name), "test");
        var random = new SeededRandom(3);
        var x = new Tensor<double>(5, 4);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (random.NextDouble() * 4) - 2;
        }

        Tensor<double> y = layer.Forward(x);
        int width = layer.OutputWidth(4);
        Assert.Equal(new Shape(5, width), y.Shape);
        double[] first = y.ToArray();
        Assert.Same(y, layer.Forward(x));
        Assert.Equal(first, y.ToArray());

        // E = Σ c ⊙ y, so ∂E/∂y = c
        var c = new Tensor<double>(5, width);
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = (random.NextDouble() * 2) - 1;
        }

        double Energy() => layer.Forward(x).AsSpan().ToArray().Zip(c.ToArray(), (a, b) => a * b).Sum();
        layer.Forward(x);
        double[] dx = layer.Backward(c).ToArray();
        double[][] parameterGradients = [.. layer.Parameters.Select(p => p.Gradient.ToArray())];

        var numerical = new double[x.Length];
        GradientCheck.Numerical(x.AsSpan(), Energy, numerical);
        AssertClose(numerical, dx, name + " dx");
        for (int p = 0; p < layer.Parameters.Count; p++)
        {
            var expected = new double[layer.Parameters[p].Value.Length];
            GradientCheck.Numerical(layer.Parameters[p].Value.AsSpan(), Energy, expected);
            AssertClose(expected, parameterGradients[p], layer.Parameters[p].Name);
        }
    }

    private static Dense<double> Filled(Dense<double> dense)
    {
        new NeuralSharp.Init.Normal(0.7).Fill(dense.Weights.Value.AsSpan(), 4, 3, new SeededRandom(8));
        new NeuralSharp.Init.Normal(0.7).Fill(dense.Bias.Value.AsSpan(), 4, 3, new SeededRandom(9));
        return dense;
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = GradientCheck.RelativeError(actual[i], expected[i]);
            Assert.True(error < 1e-7, $"{what}[{i}]: backward {actual[i]:R} vs numerical {expected[i]:R}");
        }
    }
}
