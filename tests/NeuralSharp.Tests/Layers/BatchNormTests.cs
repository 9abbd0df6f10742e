using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Randomness;

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Over_images_each_channel_is_one_feature_over_the_batch_and_every_position(bool training)
    {
        // the oracle: the same numbers laid out as rows of channels ([N·H·W, C]) through the per-feature layer
        var image = new ImageShape(3, 2, 4);
        const int batch = 5, plane = 8;
        var perChannel = new BatchNorm<double>(image) { Training = training };
        var oracle = new BatchNorm<double>(3) { Training = training };
        var random = new SeededRandom(17);
        foreach (BatchNorm<double> norm in new[] { perChannel, oracle })
        {
            var draw = new SeededRandom(18);
            for (int c = 0; c < 3; c++)
            {
                (norm.Gamma.Value[c], norm.Beta.Value[c], norm.RunningMean[c], norm.RunningVariance[c]) = (0.5 + draw.NextDouble(), draw.NextDouble() - 0.5, draw.NextDouble(), 0.5 + draw.NextDouble());
            }
        }

        var x = new NDArray<double>(batch, image.Size);
        var g = new NDArray<double>(batch, image.Size);
        for (int i = 0; i < x.Length; i++)
        {
            (x[i], g[i]) = ((random.NextDouble() * 4) - 1 + (i % 3), random.NextDouble() - 0.5);
        }

        NDArray<double> Rearranged(NDArray<double> a)
        {
            var rows = new NDArray<double>(batch * plane, 3);
            for (int n = 0; n < batch; n++)
            {
                for (int c = 0; c < 3; c++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        rows[(((n * plane) + p) * 3) + c] = a[(n * image.Size) + (c * plane) + p];
                    }
                }
            }

            return rows;
        }

        AssertClose(Rearranged(perChannel.Forward(x)).ToArray(), oracle.Forward(Rearranged(x)).ToArray());
        AssertClose(Rearranged(perChannel.Backward(g)).ToArray(), oracle.Backward(Rearranged(g)).ToArray());
        AssertClose(perChannel.Gamma.Gradient.ToArray(), oracle.Gamma.Gradient.ToArray());
        AssertClose(perChannel.Beta.Gradient.ToArray(), oracle.Beta.Gradient.ToArray());
        AssertClose(perChannel.RunningMean.ToArray(), oracle.RunningMean.ToArray());
        AssertClose(perChannel.RunningVariance.ToArray(), oracle.RunningVariance.ToArray());
        Assert.Equal(6, perChannel.Parameters.Sum(p => p.Value.Length));
    }

    [Fact]
    public void After_a_convolution_the_builder_normalises_per_channel_as_PyTorch_does()
    {
        // [batch, 16, 24, 24]: 16 values of γ and of β (PyTorch's BatchNorm2d(16)), not 2 × 9,216; on rows, per feature
        Sequential<float> network = new NetworkBuilder<float>(new ImageShape(1, 28, 28)).Conv2D(16, 5, activation: null).BatchNorm().Activation(ActivationKind.Relu)
            .Dense(10, null).BatchNorm().Activation(ActivationKind.Softmax).Build(seed: 1);
        BatchNorm<float>[] norms = [.. network.Layers.OfType<BatchNorm<float>>()];
        Assert.Equal((16, 9_216, 32), (norms[0].Channels, norms[0].Features, norms[0].Parameters.Sum(p => p.Value.Length)));
        Assert.Equal(new ImageShape(16, 24, 24), norms[0].Image);
        Assert.Equal((10, 10, (ImageShape?)null), (norms[1].Channels, norms[1].Features, norms[1].Image));
        Assert.Contains("BatchNorm per channel", network.Summary(), StringComparison.Ordinal);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
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
