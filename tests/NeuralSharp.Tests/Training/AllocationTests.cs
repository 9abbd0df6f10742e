using NeuralSharp.Activations;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Tests.Kernels;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>No allocation inside a training step after warm-up, for every optimizer, on the bench's W1, W2 and W8 networks, on one and two threads (STYLE.md §10).</summary>
[Collection(GemmThreads.Name)]
public sealed class AllocationTests
{
    public static TheoryData<string, int> OptimizersAndThreads() => new()
    {
        { "sgd", 1 }, { "sgd", 2 }, { "momentum", 2 }, { "adagrad", 2 }, { "rmsprop", 1 }, { "rmsprop-pytorch", 2 }, { "adam", 1 }, { "adam", 2 }, { "adam-pytorch", 2 },
        { "nesterov-pytorch", 2 }, { "adamw", 1 }, { "adamw", 2 },
    };

    [Theory]
    [MemberData(nameof(OptimizersAndThreads))]
    public void W1_network_step_allocates_nothing(string optimizer, int threads)
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 1);
        AssertNoAllocation(new TrainingStep<float>(net, new SquaredError<float>(), Create(optimizer)), new NDArray<float>(1, 2), new NDArray<float>(1, 1), threads);
    }

    [Theory]
    [MemberData(nameof(OptimizersAndThreads))]
    public void W2_network_step_allocates_nothing(string optimizer, int threads)
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 256, 128, 10], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        AssertNoAllocation(new TrainingStep<float>(net, new CrossEntropy<float>(), Create(optimizer)), new NDArray<float>(128, 784), new NDArray<float>(new Shape(128)), threads);
    }

    [Theory]
    [InlineData("sgd", 1)]
    [InlineData("sgd", 2)]
    [InlineData("adam", 2)]
    public void W8_convolutional_network_step_allocates_nothing(string optimizer, int threads)
    {
        // the course's SimpleConvNet: the convolution one image at a time in halves, pooling and ReLU in halves
        Sequential<float> net = new NetworkBuilder<float>(new ImageShape(1, 28, 28)).Conv2D(30, 5).MaxPool2D(2)
            .Dense(100, ActivationKind.Relu).Dense(10, ActivationKind.Softmax).Build(seed: 1);
        AssertNoAllocation(new TrainingStep<float>(net, new CrossEntropy<float>(), Create(optimizer)), new NDArray<float>(100, 784), new NDArray<float>(new Shape(100)), threads);
    }

    [Fact]
    public void A_sample_given_as_spans_allocates_nothing()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 1);
        var step = new TrainingStep<float>(net, new SquaredError<float>(), new Sgd<float>(0.07));
        float[] x = [0.3f, 0.6f], d = [2.1f];
        step.Run(x, d);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            step.Run(x, d);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(TrainingPath.SmallNetwork, step.Path);
    }

    [Fact]
    public void Per_step_schedules_and_callbacks_allocate_nothing_per_step()
    {
        // the same Fit with and without a schedule and a step callback allocates the same: nothing per step
        Sequential<float> net = NetworkBuilder<float>.FromSizes([4, 16, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        var x = new NDArray<float>(64, 4);
        var d = new NDArray<float>(new Shape(64));
        long Fit(bool scheduled)
        {
            var optimizer = new Momentum<float>(0.01, 0.9, OptimizerForm.PyTorch);
            ITrainingCallback[] callbacks = scheduled ? [LearningRateSchedule.OneCycle(optimizer, 400, 0.05), new EpochCallback(_ => { })] : [];
            var trainer = new Trainer<float>(net, new CrossEntropy<float>(), optimizer, new TrainingOptions { BatchSize = 8, Steps = 400, Shuffle = false, Callbacks = callbacks });
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(x, d);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Fit(true);
        Fit(false);
        long plain = Fit(false), scheduled = Fit(true);
        Assert.True(scheduled - plain < 400, $"400 steps with a schedule allocate {scheduled - plain} bytes more than without");
    }

    private static Optimizer<float> Create(string name)
    {
        Optimizer<float> optimizer = OptimizerFactory.Create<float>(name, 1e-4);
        optimizer.WeightDecay = name == "momentum" ? 1e-4 : 0;
        return optimizer;
    }

    private static void AssertNoAllocation(TrainingStep<float> step, NDArray<float> x, NDArray<float> d, int threads)
    {
        // warm up both ways a large product can run: shared with the GEMM helper thread, and alone (as it does when
        // another thread's product holds the helper), so that first-call work is not counted below
        int original = Parallelism.Threads;
        try
        {
            foreach (int warmThreads in new[] { threads, 1, threads })
            {
                Parallelism.Threads = warmThreads;
                for (int i = 0; i < 2; i++)
                {
                    step.Run(x, d);
                }
            }

            // the fewest bytes of three rounds of five steps: an allocation in the step shows in every round, while the
            // runtime now and then counts a few KB of its own against the thread (dotnet/runtime#63487, #74388)
            long fewest = long.MaxValue;
            for (int round = 0; round < 3 && fewest > 0; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 5; i++)
                {
                    step.Run(x, d);
                }

                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.Equal(0, fewest);
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }
}
