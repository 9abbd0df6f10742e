using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Layers.Recurrent;

/// <summary>What the recurrent layers share beyond the harness: the state carried across chunks (truncated BPTT), a given h₀.</summary>
public sealed class RecurrentLayerTests
{
    private static RecurrentLayer<double> Layer(string kind, int steps)
    {
        var shape = new SequenceShape(steps, 2);
        RecurrentLayer<double> layer = kind switch
        {
            "rnn" => new SimpleRnn<double>(shape, 3),
            "lstm" => new Lstm<double>(shape, 3),
            _ => new Gru<double>(shape, 3),
        };
        var random = new SeededRandom(6);
        foreach (Parameter<double> p in new[] { layer.InputWeights, layer.StateWeights, layer.InputBias, layer.StateBias })
        {
            new NeuralSharp.Init.Normal(0.5).Fill(p.Value.AsSpan(), 2, 3, random);
        }

        return layer;
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void A_carried_state_makes_chunks_of_a_series_one_sequence(string kind)
    {
        // 2 rows × 6 steps, run whole, and as two chunks of 3 with the state carried from the first to the second
        var random = new SeededRandom(4);
        double[] series = [.. Enumerable.Range(0, 2 * 6 * 2).Select(_ => (random.NextDouble() * 2) - 1)];
        RecurrentLayer<double> whole = Layer(kind, 6), chunked = Layer(kind, 3);
        double[] expected = whole.Forward(new NDArray<double>(new Shape(2, 12), series)).ToArray();
        chunked.CarryState = true;
        var first = new NDArray<double>(new Shape(2, 6), [.. series[0..6], .. series[12..18]]);
        var second = new NDArray<double>(new Shape(2, 6), [.. series[6..12], .. series[18..24]]);
        chunked.Forward(first);
        double[] actual = chunked.Forward(second).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }

        // forgotten, the second chunk starts from zeros again and answers otherwise
        chunked.ResetState();
        Assert.NotEqual(actual[0], chunked.Forward(second)[0]);
    }

    [Fact]
    public void The_carried_state_stops_the_gradient_at_the_chunks_start()
    {
        // the second chunk's gradients are those of the same chunk started from the carried state as a given h₀
        RecurrentLayer<double> carried = Layer("rnn", 3), given = Layer("rnn", 3);
        carried.CarryState = true;
        var x = new NDArray<double>(new Shape(1, 6), [0.1, -0.4, 0.7, 0.2, -0.3, 0.5]);
        carried.Forward(x);
        var h0 = new NDArray<double>(new Shape(1, 3), carried.State(3).ToArray());
        carried.Forward(x);
        carried.Backward(new NDArray<double>(new Shape(1, 3), [1.0, -1, 0.5]));
        given.InitialState = h0;
        given.Forward(x);
        given.Backward(new NDArray<double>(new Shape(1, 3), [1.0, -1, 0.5]));
        Assert.Equal(given.StateWeights.Gradient.ToArray(), carried.StateWeights.Gradient.ToArray());
        Assert.Equal(given.InitialStateGradient!.ToArray(), carried.InitialStateGradient!.ToArray());
    }
}
