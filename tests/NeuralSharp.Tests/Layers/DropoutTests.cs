using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Layers;

/// <summary>Inverted dropout: the fraction dropped, the scale, seeded masks that change per step, identity at inference.</summary>
public sealed class DropoutTests
{
    [Fact]
    public void Training_drops_about_p_and_scales_the_rest_by_one_over_one_minus_p()
    {
        var dropout = new Dropout<double>(0.25, seed: 7);
        var x = new NDArray<double>(100, 100);
        x.AsSpan().Fill(2);
        double[] y = dropout.Forward(x).ToArray();
        double dropped = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(dropped, 0.23, 0.27);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(2 / 0.75, v, 14));
        Assert.Equal(2.0, y.Average(), 1); // the expectation is kept
    }

    [Fact]
    public void Inference_is_the_identity()
    {
        var dropout = new Dropout<double>(0.5) { Training = false };
        var x = new NDArray<double>(new Shape(1, 3), [1, 2, 3]);
        Assert.Equal([1.0, 2, 3], dropout.Forward(x).ToArray());
    }

    [Fact]
    public void The_mask_is_seeded_stays_for_a_step_and_changes_with_the_next()
    {
        var a = new Dropout<double>(0.5, seed: 3);
        var b = new Dropout<double>(0.5, seed: 3);
        var x = new NDArray<double>(4, 50);
        x.AsSpan().Fill(1);
        double[] first = a.Forward(x).ToArray();
        Assert.Equal(first, b.Forward(x).ToArray());
        Assert.Equal(first, a.Forward(x).ToArray());
        a.BeginStep();
        Assert.NotEqual(first, a.Forward(x).ToArray());
        Assert.NotEqual(first, new Dropout<double>(0.5, seed: 4).Forward(x).ToArray());
    }

    [Fact]
    public void Training_turns_dropout_on_and_measuring_turns_it_off()
    {
        var dropout = new Dropout<double>(0.9, seed: 1);
        var network = new Sequential<double>(new Dense<double>(new NDArray<double>(new Shape(2, 2), [1, 0, 0, 1]), new NDArray<double>(new Shape(2), [0, 0])), dropout,
            new ActivationLayer<double>(ActivationKind.Identity));
        network.Training = false;
        var x = new NDArray<double>(new Shape(1, 2), [1, 2]);
        Assert.Equal([1.0, 2], network.Predict(x).ToArray());
        new Trainer<double>(network, new SquaredError<double>(), new Sgd<double>(0), new TrainingOptions { Mode = DescentMode.FullBatch, Epochs = 1 })
            .Fit(x, new NDArray<double>(new Shape(1, 2), [0, 0]));
        Assert.False(network.Training); // as it was before Fit
        Assert.False(dropout.Training);
        network.Training = true;
        Assert.Equal([1.0, 2], network.Predict(x).ToArray());
        Assert.True(dropout.Training);
    }
}
