using NeuralSharp.Activations;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Tests.Kernels;

namespace NeuralSharp.Tests.Training;

/// <summary>No allocation inside a training step after warm-up, for the bench's W1 and W2 networks (STYLE.md §10).</summary>
[Collection(GemmThreads.Name)]
public sealed class AllocationTests
{
    [Fact]
    public void W1_network_step_allocates_nothing()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 1);
        AssertNoAllocation(net, new Tensor<float>(1, 2), new Tensor<float>(1, 1), new SquaredError<float>());
    }

    [Fact]
    public void W2_network_step_allocates_nothing_with_two_threads()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 256, 128, 10], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        AssertNoAllocation(net, new Tensor<float>(128, 784), new Tensor<float>(new Shape(128)), new CrossEntropy<float>());
    }

    [Fact]
    public void W2_fused_sgd_step_allocates_nothing_with_two_threads()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 256, 128, 10], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        var x = new Tensor<float>(128, 784);
        var d = new Tensor<float>(new Shape(128));
        var loss = new CrossEntropy<float>();
        int original = Gemm.MaxThreads;
        foreach (int warmThreads in new[] { 2, 1, 2 })
        {
            Gemm.MaxThreads = warmThreads;
            for (int i = 0; i < 2; i++)
            {
                net.SgdStep(x, d, loss, 0.1);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            net.SgdStep(x, d, loss, 0.1);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Gemm.MaxThreads = original;
        Assert.Equal(0, allocated);
    }

    private static void AssertNoAllocation(Sequential<float> net, Tensor<float> x, Tensor<float> d, ILoss<float> loss)
    {
        var sgd = new Sgd<float>(0.1);
        // warm up both ways a large product can run: shared with the GEMM helper thread, and alone (as it does when
        // another thread's product holds the helper), so that first-call work is not counted below
        const int threads = 2;
        int original = Gemm.MaxThreads;
        foreach (int warmThreads in new[] { threads, 1, threads })
        {
            Gemm.MaxThreads = warmThreads;
            for (int i = 0; i < 2; i++)
            {
                net.ComputeGradients(x, d, loss);
                sgd.Step(net.Parameters);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            net.ComputeGradients(x, d, loss);
            sgd.Step(net.Parameters);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Gemm.MaxThreads = original;
        Assert.Equal(0, allocated);
    }
}
