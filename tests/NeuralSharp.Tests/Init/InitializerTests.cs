using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Init;

public sealed class InitializerTests
{
    [Fact]
    public void Same_seed_gives_bit_identical_weights_and_another_seed_different_ones()
    {
        static double[] Weights(ulong seed) =>
            [.. NetworkBuilder<double>.FromSizes([784, 40, 10], ActivationKind.Relu, ActivationKind.Softmax, seed)
                .Parameters.SelectMany(p => p.Value.ToArray())];

        double[] first = Weights(1), again = Weights(1), other = Weights(2);

        Assert.Equal(first.Select(BitConverter.DoubleToInt64Bits), again.Select(BitConverter.DoubleToInt64Bits));
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Float_and_double_networks_draw_the_same_weights()
    {
        var asDouble = NetworkBuilder<double>.FromSizes([3, 4, 2], ActivationKind.Tanh, ActivationKind.Identity, 9);
        var asFloat = NetworkBuilder<float>.FromSizes([3, 4, 2], ActivationKind.Tanh, ActivationKind.Identity, 9);
        Assert.Equal(
            asDouble.Parameters.SelectMany(p => p.Value.ToArray()).Select(v => (float)v),
            asFloat.Parameters.SelectMany(p => p.Value.ToArray()));
    }

    [Theory]
    [InlineData("zeros", 0.0, 0.0)]
    [InlineData("ones", 1.0, 0.0)]
    public void Constants_fill_every_value(string name, double mean, double deviation)
    {
        (double actualMean, double actualDeviation, _, _) = Statistics(Initializers.Parse(name), 50);
        Assert.Equal(mean, actualMean);
        Assert.Equal(deviation, actualDeviation);
    }

    [Fact]
    public void Uniform_is_rand_on_zero_to_one()
    {
        (double mean, double deviation, double min, double max) = Statistics(Initializers.Uniform, 100);
        Assert.InRange(min, 0, 0.01);
        Assert.InRange(max, 0.99, 0.999999999);
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(deviation, 0.28, 0.296); // 1/√12 ≈ 0.2887
    }

    [Fact]
    public void Randint_draws_integers_below_n()
    {
        var values = new double[10_000];
        new UniformInt(4).Fill<double>(values, 100, 100, new SeededRandom(1));
        Assert.All(values, v => Assert.True(v is 0 or 1 or 2 or 3));
        Assert.Equal([0.0, 1, 2, 3], values.Distinct().Order());
    }

    [Theory]
    [InlineData("normal:0.01", 0.01)]
    [InlineData("xavier", 0.1)] // 1/√100
    [InlineData("he", 0.14142135623730951)] // √(2/100)
    public void Normal_family_has_the_documented_deviation(string name, double sigma)
    {
        (double mean, double deviation, _, _) = Statistics(Initializers.Parse(name), 100);
        Assert.InRange(mean, -0.01 * sigma * 10, 0.01 * sigma * 10);
        Assert.InRange(deviation / sigma, 0.98, 1.02);
    }

    [Fact]
    public void Unknown_names_list_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Initializers.Parse("glorot"));
        Assert.Contains("xavier", error.Message, StringComparison.Ordinal);
    }

    private static (double Mean, double Deviation, double Min, double Max) Statistics(IInitializer init, int fanIn)
    {
        var values = new double[fanIn * 200];
        init.Fill<double>(values, fanIn, 200, new SeededRandom(11));
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), values.Min(), values.Max());
    }
}
