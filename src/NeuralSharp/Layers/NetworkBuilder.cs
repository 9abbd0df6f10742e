using System.Numerics;
using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Randomness;

namespace NeuralSharp.Layers;

/// <summary>
/// Builds a <see cref="Sequential{T}"/> layer by layer and initialises it from one seed:
/// <code>
/// var net = new NetworkBuilder&lt;float&gt;(inputs: 2)
///     .Dense(10, ActivationKind.Relu)
///     .Dense(1, ActivationKind.Identity)
///     .Build(seed: 42);
/// var convnet = new NetworkBuilder&lt;float&gt;(new ImageShape(1, 28, 28))
///     .Conv2D(30, 5).MaxPool2D(2)          // a Flatten goes in by itself before the first dense layer
///     .Dense(100, ActivationKind.Relu).Dropout(0.2)
///     .Dense(10, ActivationKind.Softmax)
///     .Build(seed: 42);
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class NetworkBuilder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Spec> _specs = [];
    private readonly ImageShape? _image;
    private readonly SequenceShape? _sequence;

    /// <summary>Starts a network with <paramref name="inputs"/> input features.</summary>
    public NetworkBuilder(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        Inputs = inputs;
    }

    /// <summary>Starts a network that takes images of <paramref name="image"/> (as rows of C·H·W values).</summary>
    public NetworkBuilder(ImageShape image)
    {
        _image = image.Validated(nameof(image));
        Inputs = image.Size;
    }

    /// <summary>Starts a network that takes sequences of <paramref name="sequence"/> (as rows of T·F values, time-major).</summary>
    public NetworkBuilder(SequenceShape sequence)
    {
        _sequence = sequence.Validated(nameof(sequence));
        Inputs = sequence.Size;
    }

    /// <summary>The number of input features.</summary>
    public int Inputs { get; }

    /// <summary>The most parameters a network built here may have (50 million: 200 MB of float32 weights, and as much again for each of their gradients and the training engine's copy).</summary>
    public const long MaxParameters = 50_000_000;

    private abstract record Spec;

    private sealed record DenseSpec(int Units, IInitializer? Weights, IInitializer Default, IInitializer? Bias) : Spec;

    private sealed record ConvSpec(int Filters, int Kernel, int Stride, int Padding, IInitializer? Weights, IInitializer Default) : Spec;

    private sealed record PoolSpec(int Size, int? Stride) : Spec;

    private sealed record ActivationSpec(ActivationKind Kind) : Spec;

    private sealed record DropoutSpec(double Ratio) : Spec;

    private sealed record BatchNormSpec : Spec;

    private sealed record RecurrentSpec(string Kind, int Hidden, ActivationKind Activation, RecurrentOutput Output, bool Bias, IInitializer? Weights, GruForm Form, bool Both = false) : Spec;

    private sealed record EmbeddingSpec(int Vocabulary, int Dimension, IInitializer? Weights) : Spec;

    private sealed record StepDenseSpec(int Units, bool Bias, IInitializer? Weights, IInitializer Default) : Spec;

    /// <summary>
    /// Adds a dense layer of <paramref name="units"/> followed by an activation (null for none). Weights default to
    /// He for ReLU-like activations and Xavier otherwise; biases default to zeros (as the course's <c>np.zeros</c>).
    /// </summary>
    public NetworkBuilder<T> Dense(int units, ActivationKind? activation, IInitializer? weights = null, IInitializer? bias = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        _specs.Add(new DenseSpec(units, weights, DefaultFor(activation), bias));
        return activation is { } kind ? Activation(kind) : this;
    }

    /// <summary>Adds a convolution of <paramref name="filters"/> square kernels, then an activation (ReLU unless said; null for none).</summary>
    public NetworkBuilder<T> Conv2D(int filters, int kernel, int stride = 1, int padding = 0, ActivationKind? activation = ActivationKind.Relu, IInitializer? weights = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _specs.Add(new ConvSpec(filters, kernel, stride, padding, weights, DefaultFor(activation)));
        return activation is { } kind ? Activation(kind) : this;
    }

    /// <summary>Adds max pooling over <paramref name="size"/>×<paramref name="size"/> windows (every <paramref name="stride"/> pixels, by default the size).</summary>
    public NetworkBuilder<T> MaxPool2D(int size, int? stride = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride ?? size, nameof(stride));
        _specs.Add(new PoolSpec(size, stride));
        return this;
    }

    /// <summary>
    /// Adds a recurrent layer — <paramref name="kind"/> "rnn" (<see cref="SimpleRnn{T}"/>, with
    /// <paramref name="activation"/>), "lstm" or "gru" — of <paramref name="hidden"/> units over the sequence so far.
    /// W_x and W_h default to Xavier (fan-in F and H), the biases to zeros.
    /// </summary>
    public NetworkBuilder<T> Recurrent(string kind, int hidden, RecurrentOutput output = RecurrentOutput.LastStep, ActivationKind activation = ActivationKind.Tanh, bool bias = true, IInitializer? weights = null, GruForm form = GruForm.PyTorch, bool bidirectional = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        _specs.Add(kind is "rnn" or "lstm" or "gru" ? new RecurrentSpec(kind, hidden, activation, output, bias, weights, form, bidirectional)
            : throw new ArgumentException($"'{kind}' is not a recurrent layer; rnn, lstm or gru.", nameof(kind)));
        return this;
    }

    /// <summary>
    /// Adds an embedding (<see cref="Embedding{T}"/>): each of the T ids of a row (a builder started from T inputs, or a
    /// sequence of T steps × 1) becomes its vector of <paramref name="dimension"/>, a sequence for the recurrent layers
    /// after it. Vectors default to N(0, 1), as PyTorch's <c>nn.Embedding</c>.
    /// </summary>
    public NetworkBuilder<T> Embedding(int vocabulary, int dimension, IInitializer? weights = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        _specs.Add(new EmbeddingSpec(vocabulary, dimension, weights));
        return this;
    }

    /// <summary>Adds a dense layer applied at every step of the sequence (<see cref="TimeDistributedDense{T}"/>), then an activation (null for none).</summary>
    public NetworkBuilder<T> TimeDistributedDense(int units, ActivationKind? activation, bool bias = true, IInitializer? weights = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        _specs.Add(new StepDenseSpec(units, bias, weights, DefaultFor(activation)));
        return activation is { } kind ? Activation(kind) : this;
    }

    /// <summary>Adds an activation layer.</summary>
    public NetworkBuilder<T> Activation(ActivationKind kind)
    {
        _specs.Add(new ActivationSpec(kind));
        return this;
    }

    /// <summary>Adds inverted dropout of ratio <paramref name="ratio"/> (its masks seeded from the build's seed).</summary>
    public NetworkBuilder<T> Dropout(double ratio)
    {
        _specs.Add(new DropoutSpec(ratio));
        return this;
    }

    /// <summary>Adds batch normalisation over the features that come out of the layer before: each feature of a row, or each channel of an image (as PyTorch's <c>BatchNorm2d</c>).</summary>
    public NetworkBuilder<T> BatchNorm()
    {
        _specs.Add(new BatchNormSpec());
        return this;
    }

    /// <summary>
    /// Creates the layers and draws their starting values from <paramref name="seed"/>, layer by layer, W before b,
    /// each row-major; <paramref name="weights"/> overrides the default for every layer that names none.
    /// </summary>
    /// <exception cref="ArgumentException">A convolution or pooling comes after the images were flattened, a layer does not fit its input, or the network would have more than <see cref="MaxParameters"/> parameters.</exception>
    public Sequential<T> Build(ulong seed = 0, IInitializer? weights = null)
    {
        CheckBudget();
        var random = new SeededRandom(seed);
        var layers = new List<ILayer<T>>();
        ImageShape? image = _image;
        SequenceShape? sequence = _sequence;
        int width = Inputs, index = 0;
        foreach (Spec spec in _specs)
        {
            index++;
            switch (spec)
            {
                case DenseSpec dense:
                    if (image is { } flattened)
                    {
                        layers.Add(new Flatten<T>(flattened));
                        image = null;
                    }

                    var layer = new Dense<T>(width, dense.Units);
                    (dense.Weights ?? weights ?? dense.Default).Fill(layer.Weights.Value.AsSpan(), width, dense.Units, random);
                    (dense.Bias ?? Initializers.Zeros).Fill(layer.Bias.Value.AsSpan(), width, dense.Units, random);
                    layers.Add(layer);
                    (width, sequence) = (dense.Units, null);
                    break;
                case RecurrentSpec recurrent:
                    SequenceShape over = sequence ?? throw new ArgumentException("A recurrent layer needs sequences: start the builder from a SequenceShape, and put recurrent layers before the dense layers (all but the last passing every step on).");
                    RecurrentLayer<T> Cell()
                    {
                        RecurrentLayer<T> made = recurrent.Kind switch
                        {
                            "rnn" => new SimpleRnn<T>(over, recurrent.Hidden, recurrent.Activation, recurrent.Output, recurrent.Bias),
                            "lstm" => new Lstm<T>(over, recurrent.Hidden, recurrent.Output, recurrent.Bias),
                            _ => new Gru<T>(over, recurrent.Hidden, recurrent.Output, recurrent.Bias, form: recurrent.Form),
                        };
                        (recurrent.Weights ?? weights ?? Initializers.Xavier).Fill(made.InputWeights.Value.AsSpan(), over.Features, made.Gates * made.Hidden, random);
                        (recurrent.Weights ?? weights ?? Initializers.Xavier).Fill(made.StateWeights.Value.AsSpan(), made.Hidden, made.Gates * made.Hidden, random);
                        return made;
                    }

                    ILayer<T> cell = recurrent.Both ? new Bidirectional<T>(Cell(), Cell()) : Cell();
                    layers.Add(cell);
                    width = cell.OutputWidth(width);
                    sequence = recurrent.Output == RecurrentOutput.EveryStep ? new SequenceShape(over.Steps, width / over.Steps) : null;
                    break;
                case EmbeddingSpec embed:
                    if (layers.Count > 0 || (sequence is { } ids && ids.Features != 1))
                    {
                        throw new ArgumentException("An embedding comes first, on rows of ids (a builder of T inputs, or of T steps × 1).");
                    }

                    var embedding = new Embedding<T>(width, embed.Vocabulary, embed.Dimension);
                    (embed.Weights ?? Initializers.StandardNormal).Fill(embedding.Weights.Value.AsSpan(), embed.Vocabulary, embed.Dimension, random);
                    layers.Add(embedding);
                    (sequence, width) = (new SequenceShape(embedding.Steps, embed.Dimension), embedding.Steps * embed.Dimension);
                    break;
                case StepDenseSpec step:
                    SequenceShape steps = sequence ?? throw new ArgumentException("A dense layer at every step needs a sequence: put it after a recurrent layer that passes every step on.");
                    var perStep = new TimeDistributedDense<T>(steps.Steps, steps.Features, step.Units, step.Bias);
                    (step.Weights ?? weights ?? step.Default).Fill(perStep.Weights.Value.AsSpan(), steps.Features, step.Units, random);
                    layers.Add(perStep);
                    (width, sequence) = (steps.Steps * step.Units, new SequenceShape(steps.Steps, step.Units));
                    break;
                case ConvSpec conv:
                    var convolution = new Conv2D<T>(image ?? throw Flat("A convolution"), conv.Filters, conv.Kernel, conv.Kernel, conv.Stride, conv.Padding);
                    (conv.Weights ?? weights ?? conv.Default).Fill(convolution.Weights.Value.AsSpan(), convolution.Taps, conv.Filters, random);
                    layers.Add(convolution);
                    (image, width) = (convolution.Output, convolution.Output.Size);
                    break;
                case PoolSpec pool:
                    var pooling = new MaxPool2D<T>(image ?? throw Flat("Max pooling"), pool.Size, pool.Stride);
                    layers.Add(pooling);
                    (image, width) = (pooling.Output, pooling.Output.Size);
                    break;
                case ActivationSpec activation:
                    layers.Add(new ActivationLayer<T>(activation.Kind));
                    break;
                case DropoutSpec dropout:
                    layers.Add(new Dropout<T>(dropout.Ratio, seed ^ ((ulong)index * 0x9E3779B97F4A7C15UL)));
                    break;
                default:
                    // after a convolution or pooling, per channel (PyTorch's BatchNorm2d); on rows, per feature
                    layers.Add(image is { } channels ? new BatchNorm<T>(channels) : new BatchNorm<T>(width));
                    break;
            }
        }

        return new Sequential<T>(layers);
    }

    /// <summary>
    /// A network from layer sizes, e.g. <c>[2, 3, 3, 1]</c>: every hidden layer uses <paramref name="hidden"/>, the
    /// last <paramref name="output"/>.
    /// </summary>
    public static Sequential<T> FromSizes(
        IReadOnlyList<int> sizes, ActivationKind hidden, ActivationKind output, ulong seed = 0, IInitializer? weights = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2)
        {
            throw new ArgumentException("A network needs at least an input and an output size, e.g. [2, 1].", nameof(sizes));
        }

        var builder = new NetworkBuilder<T>(sizes[0]);
        for (int i = 1; i < sizes.Count; i++)
        {
            builder.Dense(sizes[i], i == sizes.Count - 1 ? output : hidden);
        }

        return builder.Build(seed, weights);
    }

    private static ArgumentException Flat(string what) =>
        new($"{what} needs images: start the builder from an ImageShape, and put convolutions and pooling before the dense layers.");

    private static IInitializer DefaultFor(ActivationKind? activation) =>
        activation is ActivationKind.Relu or ActivationKind.LeakyRelu ? Initializers.He : Initializers.Xavier;
}
