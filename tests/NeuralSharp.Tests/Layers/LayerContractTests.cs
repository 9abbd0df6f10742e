using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Layers;

/// <summary>One harness run for every layer: output shape, determinism, reuse of buffers, and backward against a
/// numerical gradient of <c>E = Σ c ⊙ layer(x)</c> for the input and every parameter.</summary>
public sealed class LayerContractTests
{
    public static TheoryData<string> Layers() =>
        ["dense", "conv", "conv-strided", "pool", "pool-overlapping", "flatten", "dropout", "dropout-inference", "batch-norm", "batch-norm-inference", "batch-norm-channels", "batch-norm-channels-inference",
         "rnn", "rnn-every-step", "rnn-relu-no-bias", "rnn-given-state", "lstm", "lstm-every-step", "gru", "gru-every-step", "gru-reset-before", "gru-reset-before-every-step", "time-dense", "time-dense-no-bias", "embedding", "bilstm", "bigru-every-step", "birnn-relu",
         .. Enum.GetValues<ActivationKind>().Select(Activation.NameOf)];

    [Fact]
    public void Every_layer_and_every_registered_activation_is_in_the_harness()
    {
        HashSet<string> harnessed = [.. ((IEnumerable<object[]>)Layers()).Select(row => (string)row[0])];
        Type[] layers = [.. typeof(ILayer<>).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }
            && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILayer<>)))];
        // every layer class the library has, by the harness's name for it (Sequential is the container the harness's layers run in)
        Dictionary<string, string> names = new()
        {
            ["Dense`1"] = "dense", ["Conv2D`1"] = "conv", ["MaxPool2D`1"] = "pool", ["Flatten`1"] = "flatten", ["Dropout`1"] = "dropout",
            ["BatchNorm`1"] = "batch-norm", ["ActivationLayer`1"] = "relu",
            ["SimpleRnn`1"] = "rnn", ["Lstm`1"] = "lstm", ["Gru`1"] = "gru", ["TimeDistributedDense`1"] = "time-dense", ["Embedding`1"] = "embedding", ["Bidirectional`1"] = "bilstm",
        };
        Assert.All(layers.Where(t => t.Name != "Sequential`1"), t =>
        {
            Assert.True(names.TryGetValue(t.Name, out string? name), $"the layer {t.Name} has no row in the harness");
            Assert.Contains(name!, harnessed);
        });
        Assert.All(Activation.Registry, a => Assert.Contains(a.Name, harnessed));
    }

    /// <summary>The layer under test and the width of its input rows.</summary>
    private static (ILayer<double> Layer, int Inputs) Create(string name)
    {
        switch (name)
        {
            case "dense":
                return (Filled(new Dense<double>(4, 3, "test")), 4);
            case "conv":
                var conv = new Conv2D<double>(new ImageShape(2, 5, 6), filters: 3, kernelHeight: 3, kernelWidth: 2, stride: 1, padding: 1, "test");
                return (Filled(conv, conv.Weights, conv.Bias), 60);
            case "conv-strided":
                var strided = new Conv2D<double>(new ImageShape(1, 7, 7), filters: 2, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 0, "test");
                return (Filled(strided, strided.Weights, strided.Bias), 49);
            case "pool":
                return (new MaxPool2D<double>(new ImageShape(2, 4, 6), 2, name: "test"), 48);
            case "pool-overlapping":
                return (new MaxPool2D<double>(new ImageShape(1, 5, 5), 3, stride: 2, name: "test"), 25);
            case "flatten":
                return (new Flatten<double>(new ImageShape(2, 2, 3), "test"), 12);
            case "dropout":
                return (new Dropout<double>(0.3, seed: 4, "test"), 6);
            case "dropout-inference":
                return (new Dropout<double>(0.3, seed: 4, "test") { Training = false }, 6);
            case "batch-norm":
            case "batch-norm-inference":
                var norm = new BatchNorm<double>(4, name: "test");
                Filled(norm, norm.Gamma, norm.Beta);
                new NeuralSharp.Init.Normal(0.5).Fill(norm.RunningMean.AsSpan(), 4, 4, new SeededRandom(10));
                norm.RunningVariance.AsSpan().Fill(1.7);
                norm.Training = name == "batch-norm";
                return (norm, 4);
            case "batch-norm-channels":
            case "batch-norm-channels-inference":
                var channels = new BatchNorm<double>(new ImageShape(2, 2, 3), name: "test");
                Filled(channels, channels.Gamma, channels.Beta);
                new NeuralSharp.Init.Normal(0.5).Fill(channels.RunningMean.AsSpan(), 2, 2, new SeededRandom(10));
                channels.RunningVariance.AsSpan().Fill(1.3);
                channels.Training = name == "batch-norm-channels";
                return (channels, 12);
            case "rnn":
                return (Filled(new SimpleRnn<double>(new SequenceShape(4, 3), 5, name: "test")), 12);
            case "rnn-every-step":
                return (Filled(new SimpleRnn<double>(new SequenceShape(3, 2), 4, ActivationKind.Sigmoid, RecurrentOutput.EveryStep, name: "test")), 6);
            case "rnn-relu-no-bias":
                return (Filled(new SimpleRnn<double>(new SequenceShape(5, 2), 3, ActivationKind.Relu, bias: false, name: "test")), 10);
            case "rnn-given-state":
                var given = Filled(new SimpleRnn<double>(new SequenceShape(3, 2), 4, name: "test"));
                given.InitialState = new NDArray<double>(new Shape(1, 4), [0.3, -0.2, 0.5, 0.1]);
                return (given, 6);
            case "lstm":
                return (Filled(new Lstm<double>(new SequenceShape(4, 3), 5, name: "test")), 12);
            case "lstm-every-step":
                return (Filled(new Lstm<double>(new SequenceShape(3, 2), 3, RecurrentOutput.EveryStep, name: "test")), 6);
            case "gru":
                return (Filled(new Gru<double>(new SequenceShape(4, 3), 5, name: "test")), 12);
            case "gru-every-step":
                return (Filled(new Gru<double>(new SequenceShape(3, 2), 3, RecurrentOutput.EveryStep, name: "test")), 6);
            case "gru-reset-before":
                return (Filled(new Gru<double>(new SequenceShape(4, 3), 5, name: "test", form: GruForm.ResetBeforeProduct)), 12);
            case "gru-reset-before-every-step":
                return (Filled(new Gru<double>(new SequenceShape(3, 2), 3, RecurrentOutput.EveryStep, name: "test", form: GruForm.ResetBeforeProduct)), 6);
            case "time-dense":
            case "time-dense-no-bias":
                var step = new TimeDistributedDense<double>(3, 4, 2, bias: name == "time-dense", name: "test");
                return (Filled(step, step.Weights, step.Bias), 12);
            case "bilstm":
                return (new Bidirectional<double>(Filled(new Lstm<double>(new SequenceShape(4, 3), 3)), Filled(new Lstm<double>(new SequenceShape(4, 3), 3)), "test"), 12);
            case "bigru-every-step":
                return (new Bidirectional<double>(Filled(new Gru<double>(new SequenceShape(3, 2), 2, RecurrentOutput.EveryStep)), Filled(new Gru<double>(new SequenceShape(3, 2), 2, RecurrentOutput.EveryStep)), "test"), 6);
            case "birnn-relu":
                var backward = Filled(new SimpleRnn<double>(new SequenceShape(3, 2), 3, ActivationKind.Relu));
                new NeuralSharp.Init.Normal(0.9).Fill(backward.StateWeights.Value.AsSpan(), 3, 3, new SeededRandom(21));
                return (new Bidirectional<double>(Filled(new SimpleRnn<double>(new SequenceShape(3, 2), 3, ActivationKind.Relu)), backward, "test"), 6);
            case "embedding":
                var embedding = new Embedding<double>(4, vocabulary: 3, dimension: 2, "test");
                new NeuralSharp.Init.Normal(0.7).Fill(embedding.Weights.Value.AsSpan(), 3, 2, new SeededRandom(8));
                return (embedding, 4);
            default:
                return (new ActivationLayer<double>(Activation.Parse(name), "test"), 4);
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_honours_the_contract(string name)
    {
        (ILayer<double> layer, int inputs) = Create(name);
        var random = new SeededRandom(3);
        var x = new NDArray<double>(5, inputs);
        for (int i = 0; i < x.Length; i++)
        {
            // an embedding reads ids (3 of them: some repeat, so the scatter-add is tested)
            x[i] = layer is Embedding<double> ? random.NextInt(3) : (random.NextDouble() * 4) - 2;
        }

        NDArray<double> y = layer.Forward(x);
        int width = layer.OutputWidth(inputs);
        Assert.Equal(new Shape(5, width), y.Shape);
        double[] first = y.ToArray();
        Assert.Same(y, layer.Forward(x));
        Assert.Equal(first, y.ToArray());

        // E = Σ c ⊙ y, so ∂E/∂y = c
        var c = new NDArray<double>(5, width);
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = (random.NextDouble() * 2) - 1;
        }

        double Energy() => layer.Forward(x).AsSpan().ToArray().Zip(c.ToArray(), (a, b) => a * b).Sum();
        layer.Forward(x);
        double[] dx = layer.Backward(c).ToArray();
        double[][] parameterGradients = [.. layer.Parameters.Select(p => p.Gradient.ToArray())];

        var numerical = new double[x.Length];
        if (layer is Embedding<double>)
        {
            // ids are not learnt and have no gradient (nudging one makes it no id at all)
            Assert.All(dx, d => Assert.Equal(0, d));
        }
        else
        {
            GradientCheck.Numerical(x.AsSpan(), Energy, numerical);
            AssertClose(numerical, dx, name + " dx");
        }
        for (int p = 0; p < layer.Parameters.Count; p++)
        {
            var expected = new double[layer.Parameters[p].Value.Length];
            GradientCheck.Numerical(layer.Parameters[p].Value.AsSpan(), Energy, expected);
            AssertClose(expected, parameterGradients[p], layer.Parameters[p].Name);
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_step_allocates_nothing_once_the_buffers_exist(string name)
    {
        foreach (bool single in new[] { false, true })
        {
            long allocated = single ? Allocated<float>(name) : Allocated<double>(name);
            Assert.True(allocated == 0, $"{name} ({(single ? "float32" : "float64")}): a forward and backward pass allocated {allocated} bytes");
        }
    }

    private static long Allocated<T>(string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        (ILayer<double> model, int inputs) = Create(name);
        ILayer<T> layer = typeof(T) == typeof(double) ? (ILayer<T>)(object)model : Convert<T>(name, model);
        var x = new NDArray<T>(8, inputs);
        var random = new SeededRandom(5);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = layer is Embedding<T> ? T.CreateChecked(random.NextInt(3)) : T.CreateChecked(random.NextDouble() - 0.5);
        }

        var g = new NDArray<T>(8, layer.OutputWidth(inputs));
        g.AsSpan().Fill(T.One);
        layer.Forward(x);
        layer.Backward(g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 3; step++)
        {
            layer.Forward(x);
            layer.Backward(g);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>The same layer in float32 (the shapes are what matter here, not the values).</summary>
    private static ILayer<T> Convert<T>(string name, ILayer<double> layer)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => layer switch
        {
            Dense<double> d => new Dense<T>(d.Inputs, d.Outputs),
            Conv2D<double> c => new Conv2D<T>(c.Input, c.Filters, c.KernelHeight, c.KernelWidth, c.Stride, c.Padding),
            MaxPool2D<double> p => new MaxPool2D<T>(p.Input, p.Size, p.Stride),
            Flatten<double> f => new Flatten<T>(f.Input),
            Dropout<double> o => new Dropout<T>(o.Ratio) { Training = o.Training },
            BatchNorm<double> { Image: { } image } b => new BatchNorm<T>(image) { Training = b.Training },
            BatchNorm<double> b => new BatchNorm<T>(b.Features) { Training = b.Training },
            ActivationLayer<double> a => new ActivationLayer<T>(a.Activation.Kind),
            SimpleRnn<double> r => new SimpleRnn<T>(r.Input, r.Hidden, r.Activation.Kind, r.Output, r.HasBias),
            Lstm<double> l => new Lstm<T>(l.Input, l.Hidden, l.Output, l.HasBias),
            Gru<double> g => new Gru<T>(g.Input, g.Hidden, g.Output, g.HasBias, form: g.Form),
            TimeDistributedDense<double> t => new TimeDistributedDense<T>(t.Steps, t.Inputs, t.Outputs, t.HasBias),
            Embedding<double> e => new Embedding<T>(e.Steps, e.Vocabulary, e.Dimension),
            Bidirectional<double> b => new Bidirectional<T>((RecurrentLayer<T>)Convert<T>(name, b.Forwards), (RecurrentLayer<T>)Convert<T>(name, b.Backwards)),
            _ => throw new ArgumentException(name),
        };

    private static Dense<double> Filled(Dense<double> dense) => Filled(dense, dense.Weights, dense.Bias);

    /// <summary>A recurrent layer with every weight and bias drawn (biases too, so a missed bias gradient shows).</summary>
    private static TLayer Filled<TLayer>(TLayer layer)
        where TLayer : RecurrentLayer<double>
    {
        var random = new SeededRandom(8);
        foreach (var p in new[] { layer.InputWeights, layer.StateWeights, layer.InputBias, layer.StateBias })
        {
            new NeuralSharp.Init.Normal(0.6).Fill(p.Value.AsSpan(), 4, 3, random);
        }

        if (!layer.HasBias)
        {
            layer.InputBias.Value.Fill(0);
            layer.StateBias.Value.Fill(0);
        }

        return layer;
    }

    private static TLayer Filled<TLayer>(TLayer layer, Parameter<double> weights, Parameter<double> bias)
    {
        new NeuralSharp.Init.Normal(0.7).Fill(weights.Value.AsSpan(), 4, 3, new SeededRandom(8));
        new NeuralSharp.Init.Normal(0.7).Fill(bias.Value.AsSpan(), 4, 3, new SeededRandom(9));
        return layer;
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = GradientCheck.RelativeError(actual[i], expected[i]);
            Assert.True(error < 1e-7, $"{what}[{i}]: backward {actual[i]:R} vs numerical {expected[i]:R}");
        }
    }
}
