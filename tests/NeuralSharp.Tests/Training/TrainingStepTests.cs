using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Randomness;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>
/// The training engine gives, on every path it chooses, the update of the plain definition — ComputeGradients, then the
/// optimizer's Step over all parameters — for every optimizer, with and without regularisation (float64, 1e-12).
/// </summary>
public sealed class TrainingStepTests
{
    public static TheoryData<int[], ActivationKind, ActivationKind, string, int> Networks() => new()
    {
        { [784, 64, 32, 10], ActivationKind.Relu, ActivationKind.Softmax, "ce", 16 }, // fused softmax + CE, large (aligned) weights
        { [3, 5, 4, 2], ActivationKind.Tanh, ActivationKind.Sigmoid, "se", 16 }, // chain rule through the output activation
        { [4, 6, 1], ActivationKind.LeakyRelu, ActivationKind.Sigmoid, "bce", 8 },
        { [2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, "se", 1 }, // the course's online exercise
        { [2, 3, 3, 1], ActivationKind.Sigmoid, ActivationKind.Identity, "sum", 1 },
        { [3, 5, 4, 2], ActivationKind.Step, ActivationKind.Tanh, "se", 1 },
        { [3, 40, 40, 2], ActivationKind.LeakyRelu, ActivationKind.Identity, "sum", 1 }, // aligned tensors on the small path
    };

    public static IEnumerable<object[]> NetworksAndOptimizers() =>
        from network in Networks()
        from optimizer in new[] { "sgd", "sgd+l2", "momentum", "adagrad", "rmsprop", "rmsprop-pytorch", "adam", "adam-pytorch+l1" }
        select (object[])[.. network, optimizer];

    [Theory]
    [MemberData(nameof(NetworksAndOptimizers))]
    public void Every_path_moves_the_parameters_like_compute_gradients_then_step(int[] sizes, ActivationKind hidden, ActivationKind output, string lossName, int batch, string optimizerName)
    {
        Sequential<double> reference = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed: 9, Initializers.He);
        Sequential<double> engine = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed: 9, Initializers.He);
        ILoss<double> loss = Loss(lossName);
        Optimizer<double> plain = Optimizer(optimizerName), chosen = Optimizer(optimizerName);
        var step = new TrainingStep<double>(engine, loss, chosen);
        var random = new SeededRandom(4);
        var x = new NDArray<double>(batch, sizes[0]);
        NDArray<double> d = lossName == "ce" ? new NDArray<double>(new Shape(batch)) : new NDArray<double>(batch, sizes[^1]);
        for (int s = 0; s < 20; s++)
        {
            Fill(x, d, random, lossName, sizes[^1]);
            double expected = reference.ComputeGradients(x, d, loss);
            plain.Step(reference.Parameters);
            double actual = step.Run(x, d);
            Assert.Equal(expected, actual, 1e-12 * Math.Max(1, Math.Abs(expected)));
        }

        Assert.Equal(ExpectedPath(batch, lossName, optimizerName, engine), step.Path);
        AssertSameWeights(reference, engine);
    }

    [Fact]
    public void A_sample_as_spans_takes_the_same_path_as_a_one_row_batch()
    {
        Sequential<double> a = NetworkBuilder<double>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 2);
        Sequential<double> b = NetworkBuilder<double>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 2);
        var loss = new SquaredError<double>(SquaredErrorReduction.SumPerSample);
        var first = new TrainingStep<double>(a, loss, new Sgd<double>(0.07));
        var second = new TrainingStep<double>(b, loss, new Sgd<double>(0.07));
        for (int i = 0; i < 50; i++)
        {
            double x1 = (i % 7) / 7.0, x2 = (i % 5) / 5.0;
            Assert.Equal(first.Run(NDArray.Row(x1, x2), NDArray.Row((3 * x1) + (2 * x2))), second.Run([x1, x2], [(3 * x1) + (2 * x2)]));
        }

        Assert.Equal(TrainingPath.SmallNetwork, second.Path);
        AssertSameWeights(a, b);
    }

    [Fact]
    public void Class_index_samples_train_a_softmax_network_one_at_a_time()
    {
        Sequential<double> reference = NetworkBuilder<double>.FromSizes([3, 4, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        Sequential<double> engine = NetworkBuilder<double>.FromSizes([3, 4, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        var loss = new CrossEntropy<double>();
        var sgd = new Sgd<double>(0.1);
        var step = new TrainingStep<double>(engine, loss, new Sgd<double>(0.1));
        for (int i = 0; i < 30; i++)
        {
            double[] x = [i % 3, (i % 4) * 0.5, -1];
            reference.ComputeGradients(NDArray.Row(x), NDArray.Vector((double)(i % 3)), loss);
            sgd.Step(reference.Parameters);
            step.Run(x, [i % 3]);
        }

        Assert.Equal(TrainingPath.FusedSgd, step.Path);
        AssertSameWeights(reference, engine);
    }

    [Fact]
    public void An_activation_from_outside_the_library_is_trained_with_its_own_derivative()
    {
        // the same forward pass as ReLU but another derivative: the small-network path must not take it for ReLU
        var quirk = new ActivationLayer<double>(new HalfSlopeRelu());
        var engine = new Sequential<double>(new Dense<double>(NDArray.FromArray(new[,] { { 0.5, -0.3 } }), NDArray.Vector(0.1, 0.2)), quirk, new Dense<double>(2, 1), new ActivationLayer<double>(ActivationKind.Identity));
        var reference = new Sequential<double>(new Dense<double>(NDArray.FromArray(new[,] { { 0.5, -0.3 } }), NDArray.Vector(0.1, 0.2)), new ActivationLayer<double>(new HalfSlopeRelu()), new Dense<double>(2, 1), new ActivationLayer<double>(ActivationKind.Identity));
        engine.Parameters[2].Value.AsSpan().Fill(0.4);
        reference.Parameters[2].Value.AsSpan().Fill(0.4);
        var loss = new SquaredError<double>();
        var step = new TrainingStep<double>(engine, loss, new Sgd<double>(0.1));
        var sgd = new Sgd<double>(0.1);
        for (int i = 0; i < 10; i++)
        {
            reference.ComputeGradients(NDArray.Row(1.0 + i), NDArray.Row(2.0), loss);
            sgd.Step(reference.Parameters);
            step.Run([1.0 + i], [2.0]);
        }

        Assert.NotEqual(TrainingPath.SmallNetwork, step.Path);
        AssertSameWeights(reference, engine);
    }

    [Fact]
    public void A_diverging_step_restores_the_last_weights_that_gave_a_finite_loss()
    {
        foreach (string name in new[] { "sgd", "adam" })
        {
            foreach (int batch in new[] { 1, 4 })
            {
                Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 3, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 3);
                var step = new TrainingStep<double>(net, new SquaredError<double>(), Optimizer(name));
                var x = new NDArray<double>(batch, 2);
                var d = new NDArray<double>(batch, 1);
                x.AsSpan().Fill(1);
                step.Run(x, d);
                // these weights give a finite loss in the next step, so they are the ones to come back to
                double[] good = [.. net.Parameters.SelectMany(p => p.Value.ToArray())];
                step.Run(x, d);
                x.AsSpan().Fill(1e300);
                Assert.Throws<TrainingDivergedException>(() => step.Run(x, d));
                Assert.Equal(good, net.Parameters.SelectMany(p => p.Value.ToArray()).ToArray());
            }
        }
    }

    [Fact]
    public void The_last_update_cannot_leave_weights_that_are_not_finite()
    {
        // one full-batch step at an absurd rate: its loss (before the update) is finite, the weights after it are not
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 3, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 3);
        double[] initial = [.. net.Parameters.SelectMany(p => p.Value.ToArray())];
        var x = NDArray.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, -1.0 } });
        var d = NDArray.FromArray(new[,] { { 1e300 }, { -1e300 } });
        var trainer = new Trainer<double>(net, new SquaredError<double>(), new Sgd<double>(1e300), new TrainingOptions { Mode = DescentMode.FullBatch, Epochs = 1 });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(x, d));
        Assert.NotNull(error.History);
        Assert.Equal(initial, net.Parameters.SelectMany(p => p.Value.ToArray()).ToArray());
    }

    private static TrainingPath ExpectedPath(int batch, string lossName, string optimizerName, Sequential<double> network) =>
        optimizerName == "sgd" && batch == 1 && lossName is "se" or "sum" && network.ParameterCount <= 4096 ? TrainingPath.SmallNetwork
        : optimizerName == "sgd" ? TrainingPath.FusedSgd
        : TrainingPath.LayerByLayer;

    private static ILoss<double> Loss(string name) => name switch
    {
        "ce" => new CrossEntropy<double>(),
        "bce" => new BinaryCrossEntropy<double>(),
        "sum" => new SquaredError<double>(SquaredErrorReduction.SumPerSample),
        _ => new SquaredError<double>(),
    };

    private static Optimizer<double> Optimizer(string name)
    {
        string[] parts = name.Split('+');
        Optimizer<double> optimizer = OptimizerFactory.Create<double>(parts[0], parts[0] == "sgd" ? 0.05 : 0.01);
        optimizer.WeightDecay = parts.Contains("l2") ? 0.1 : 0;
        optimizer.L1 = parts.Contains("l1") ? 0.01 : 0;
        return optimizer;
    }

    private static void Fill(NDArray<double> x, NDArray<double> d, SeededRandom random, string lossName, int outputs)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        for (int i = 0; i < d.Length; i++)
        {
            d[i] = lossName == "ce" ? random.NextInt(outputs) : lossName == "bce" ? (random.NextDouble() < 0.5 ? 0 : 1) : random.NextDouble();
        }
    }

    internal static void AssertSameWeights(Sequential<double> expected, Sequential<double> actual)
    {
        double[] a = [.. expected.Parameters.SelectMany(p => p.Value.ToArray())];
        double[] b = [.. actual.Parameters.SelectMany(p => p.Value.ToArray())];
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-12 * Math.Max(1, Math.Abs(a[i])));
        }
    }

    /// <summary>ReLU's forward pass with half its derivative: a function the library does not know.</summary>
    private sealed class HalfSlopeRelu : IElementwiseActivation<double>
    {
        public ActivationKind Kind => ActivationKind.Relu;

        public void Forward(ReadOnlySpan<double> u, Span<double> z, int columns)
        {
            for (int i = 0; i < u.Length; i++)
            {
                z[i] = Math.Max(0, u[i]);
            }
        }

        public void Backward(ReadOnlySpan<double> u, ReadOnlySpan<double> z, ReadOnlySpan<double> dz, Span<double> du, int columns)
        {
            for (int i = 0; i < u.Length; i++)
            {
                du[i] = u[i] > 0 ? 0.5 * dz[i] : 0;
            }
        }

        public void Derivative(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Span<double> derivative)
        {
            for (int i = 0; i < u.Length; i++)
            {
                derivative[i] = u[i] > 0 ? 0.5 : 0;
            }
        }
    }
}
