using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Randomness;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

public sealed class FusedSgdStepTests
{
    [Theory]
    [InlineData(new[] { 2, 10, 1 }, ActivationKind.Relu, ActivationKind.Identity, SquaredErrorReduction.SumPerSample)]
    [InlineData(new[] { 2, 3, 3, 1 }, ActivationKind.Sigmoid, ActivationKind.Identity, SquaredErrorReduction.SumPerSample)]
    [InlineData(new[] { 3, 5, 4, 2 }, ActivationKind.Tanh, ActivationKind.Sigmoid, SquaredErrorReduction.MeanOverElements)]
    [InlineData(new[] { 2, 6, 2 }, ActivationKind.LeakyRelu, ActivationKind.Identity, SquaredErrorReduction.MeanOverElements)]
    public void Trains_exactly_like_compute_gradients_then_sgd(int[] sizes, ActivationKind hidden, ActivationKind output, SquaredErrorReduction reduction) =>
        AssertSameTraining(sizes, hidden, output, reduction, Initializers.StandardNormal);

    [Fact]
    public void Trains_weights_held_in_cache_line_aligned_tensors()
    {
        // 40 × 40 doubles are 12.8 KB: a tensor that large starts part-way into its (pinned) array
        AssertSameTraining([3, 40, 40, 2], ActivationKind.Relu, ActivationKind.Identity, SquaredErrorReduction.SumPerSample, Initializers.He);
    }

    private static void AssertSameTraining(int[] sizes, ActivationKind hidden, ActivationKind output, SquaredErrorReduction reduction, IInitializer initializer)
    {
        Sequential<double> general = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed: 5, initializer);
        Sequential<double> fused = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed: 5, initializer);
        var loss = new SquaredError<double>(reduction);
        var sgd = new Sgd<double>(0.05);
        var step = new FusedSgdStep<double>(fused, loss, 0.05);
        var random = new SeededRandom(3);
        var x = new Tensor<double>(1, sizes[0]);
        var d = new Tensor<double>(1, sizes[^1]);
        for (int s = 0; s < 300; s++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.NextDouble();
            }

            for (int i = 0; i < d.Length; i++)
            {
                d[i] = random.NextDouble();
            }

            double expected = general.ComputeGradients(x, d, loss);
            sgd.Step(general.Parameters);
            double actual = step.Step(x.AsSpan(), d.AsSpan());
            Assert.Equal(expected, actual, 1e-12 * Math.Max(1, Math.Abs(expected)));
        }

        double[] a = [.. general.Parameters.SelectMany(p => p.Value.ToArray())], b = [.. fused.Parameters.SelectMany(p => p.Value.ToArray())];
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-10 * Math.Max(1, Math.Abs(a[i])));
        }
    }

    [Fact]
    public void Refuses_what_it_cannot_fuse()
    {
        Sequential<double> softmax = NetworkBuilder<double>.FromSizes([2, 3, 2], ActivationKind.Relu, ActivationKind.Softmax);
        Assert.False(FusedSgdStep<double>.Supports(softmax, new CrossEntropy<double>()));
        Assert.Throws<NotSupportedException>(() => new FusedSgdStep<double>(softmax, new CrossEntropy<double>(), 0.1));
    }

    [Fact]
    public void Allocates_nothing_per_step()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 1);
        var step = new FusedSgdStep<float>(net, new SquaredError<float>(), 0.07);
        float[] x = [0.3f, 0.6f], d = [2.1f];
        step.Step(x, d);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            step.Step(x, d);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
