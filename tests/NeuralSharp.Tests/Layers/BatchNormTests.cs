using NeuralSharp.Layers;

namespace NeuralSharp.Tests.Layers;

/// <summary>Batch normalisation: the batch's statistics while training, running averages at inference.</summary>
public sealed class BatchNormTests
{
    [Fact]
    public void Training_normalises_each_feature_over_the_batch_then_scales_and_shifts()
    {
        var norm = new BatchNorm<double>(2, momentum: 0.9, epsilon: 1e-5);
        norm.Gamma.Value.AsSpan().Fill(2);
        norm.Beta.Value.AsSpan().Fill(1);
        var x = new NDArray<double>(new Shape(4, 2), [1, 10, 2, 20, 3, 30, 4, 40]);
        double[] y = norm.Forward(x).ToArray();
        // feature 0: μ = 2.5, σ² = 1.25
        double scale = 1 / Math.Sqrt(1.25 + 1e-5);
        Assert.Equal((2 * (1 - 2.5) * scale) + 1, y[0], 12);
        Assert.Equal(1.0, y.Where((_, i) => i % 2 == 1).Average(), 12);
        // running ← 0.9·running + 0.1·batch, from μ = 0 and σ² = 1
        Assert.Equal(0.25, norm.RunningMean[0], 12);
        Assert.Equal((0.9 * 1) + (0.1 * 125), norm.RunningVariance[1], 12);
    }

    [Fact]
    public void Inference_uses_the_running_statistics()
    {
        var norm = new BatchNorm<double>(1) { Training = false };
        norm.RunningMean[0] = 3;
        norm.RunningVariance[0] = 4;
        var x = new NDArray<double>(new Shape(2, 1), [5, 3]);
        Assert.Equal([2 / Math.Sqrt(4 + 1e-5), 0], norm.Forward(x).ToArray());
        Assert.Equal(3.0, norm.RunningMean[0]); // inference does not move them
    }
}
