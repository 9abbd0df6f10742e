using CsCheck;
using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Fuzz;

/// <summary>
/// The memory a shape implies (<see cref="MemoryBudget"/>), against generated convolutional networks on images of every
/// width: what a training step really allocates stays within the estimate, and a shape beyond the budget is refused —
/// with the figure, the layer and what to change — before its first buffer is allocated.
/// </summary>
public sealed class ShapeFuzzTests
{
    /// <summary>A conv net: channels, height, width, filters, kernel, stride, pooling, dense units, batch.</summary>
    private static Gen<(int C, int H, int W, int Filters, int Kernel, int Stride, bool Pool, int Units, int Batch)> Nets(int side) =>
        Gen.Select(
            Gen.Select(Gen.Int[1, 3], Gen.Int[6, side], Gen.Int[6, side], (c, h, w) => (c, h, w)),
            Gen.Select(Gen.Int[1, 8], Gen.Int[1, 5], Gen.Int[1, 2], (f, k, s) => (f, k, s)),
            Gen.Select(Gen.Bool, Gen.Int[0, 16], Gen.Int[1, 16], (p, u, b) => (p, u, b)),
            (image, conv, rest) => (image.c, image.h, image.w, conv.f, conv.k, conv.s, rest.p, rest.u, rest.b));

    private static Sequential<float> Build((int C, int H, int W, int Filters, int Kernel, int Stride, bool Pool, int Units, int Batch) n)
    {
        var builder = new NetworkBuilder<float>(new ImageShape(n.C, n.H, n.W)).Conv2D(n.Filters, n.Kernel, n.Stride);
        if (n.Pool && (n.H - n.Kernel) / n.Stride + 1 >= 2 && (n.W - n.Kernel) / n.Stride + 1 >= 2)
        {
            builder.MaxPool2D(2);
        }

        if (n.Units > 0)
        {
            builder.Dense(n.Units, ActivationKind.Relu);
        }

        return builder.Dense(3, ActivationKind.Softmax).Build(seed: 1);
    }

    [Fact]
    public void What_a_training_step_allocates_stays_within_the_estimate()
    {
        int cases = 0;
        double worst = 0;
        Nets(40).Sample(
            n =>
            {
                // the same shapes once before, on another network: what a process allocates once (compiled code, the
                // kernels' packing buffers per thread) is not the shape's
                long Fit(out long estimate)
                {
                    Sequential<float> network = Build(n);
                    var x = new NDArray<float>(n.Batch, n.C * n.H * n.W);
                    var d = new NDArray<float>(new Shape(n.Batch));
                    var trainer = new Trainer<float>(network, new CrossEntropy<float>(), new Adam<float>(), new TrainingOptions { BatchSize = n.Batch, Steps = 2, Shuffle = false });
                    estimate = MemoryBudget.Estimate(network, n.Batch).Bytes - MemoryBudget.KernelScratchBytes;
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    trainer.Fit(x, d);
                    return GC.GetAllocatedBytesForCurrentThread() - before;
                }

                Fit(out _);
                long allocated = Fit(out long estimate);
                // beyond it only a Fit's own objects (the trainer, its history, the rows' order): a few kilobytes
                Assert.True(allocated <= estimate + (16 << 10), $"{n}: allocated {allocated:N0} bytes, estimated {estimate:N0}");
                worst = Math.Max(worst, (double)allocated / estimate);
                cases++;
            },
            iter: 100,
            threads: 1);
        Assert.Equal(100, cases);
        Assert.True(worst > 0.5, $"the estimate is {1 / worst:N1}× what a step allocates at least: too loose to admit what fits");
    }

    [Fact]
    public void A_shape_beyond_the_budget_is_refused_before_its_buffers_are_allocated()
    {
        int cases = 0, refused = 0;
        Nets(6_000).Select(Gen.Int[1, 512], (n, batch) => n with { Batch = batch, Units = 0, Pool = false }).Sample(
            n =>
            {
                cases++;
                // a convolution alone: its kernels are small whatever the image, what it implies per batch is not; an
                // output larger than an image may be is refused by the builder, by name, before anything is allocated
                Sequential<float> network;
                try
                {
                    network = new NetworkBuilder<float>(new ImageShape(n.C, n.H, n.W)).Conv2D(n.Filters, n.Kernel, n.Stride).Build(seed: 1);
                }
                catch (ArgumentException error) when (error.Message.Contains("more than the", StringComparison.Ordinal))
                {
                    Assert.True((long)n.Filters * (((n.H - n.Kernel) / n.Stride) + 1) * (((n.W - n.Kernel) / n.Stride) + 1) > int.MaxValue / 8, error.Message);
                    refused++;
                    return;
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    MemoryBudget.EnsureFits(network, n.Batch, $"Training in batches of {n.Batch}");
                    Assert.True(MemoryBudget.Estimate(network, n.Batch).Bytes <= MemoryBudget.Limit);
                }
                catch (MemoryBudgetException error)
                {
                    refused++;
                    Assert.Contains("GB", error.Message, StringComparison.Ordinal);
                    Assert.Contains("smaller batch", error.Message, StringComparison.Ordinal);
                    Assert.True(MemoryBudget.Estimate(network, n.Batch).Bytes > MemoryBudget.Limit);
                }

                Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20), "the check allocated");
            },
            iter: 300,
            threads: 1);
        Assert.Equal(300, cases);
        Assert.InRange(refused, 1, cases - 1);
    }
}
