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
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class NetworkBuilder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<(int Units, ActivationKind? Activation, IInitializer? Weights, IInitializer? Bias)> _specs = [];

    /// <summary>Starts a network with <paramref name="inputs"/> input features.</summary>
    public NetworkBuilder(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        Inputs = inputs;
    }

    /// <summary>The number of input features.</summary>
    public int Inputs { get; }

    /// <summary>The most parameters a network built here may have (50 million: 200 MB of float32 weights, and as much again for each of their gradients and the training engine's copy).</summary>
    public const long MaxParameters = 50_000_000;

    /// <summary>
    /// Adds a dense layer of <paramref name="units"/> followed by an activation (null for none). Weights default to
    /// He for ReLU-like activations and Xavier otherwise; biases default to zeros (as the course's <c>np.zeros</c>).
    /// </summary>
    public NetworkBuilder<T> Dense(int units, ActivationKind? activation, IInitializer? weights = null, IInitializer? bias = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        _specs.Add((units, activation, weights, bias));
        return this;
    }

    /// <summary>
    /// Creates the layers and draws their starting values from <paramref name="seed"/>, layer by layer, W before b,
    /// each row-major; <paramref name="weights"/> overrides the default for every layer that names none.
    /// </summary>
    /// <exception cref="ArgumentException">The network would have more than <see cref="MaxParameters"/> parameters.</exception>
    public Sequential<T> Build(ulong seed = 0, IInitializer? weights = null)
    {
        long parameters = 0;
        int inputs = Inputs;
        foreach ((int units, _, _, _) in _specs)
        {
            parameters += ((long)inputs * units) + units;
            inputs = units;
        }

        if (parameters > MaxParameters)
        {
            throw new ArgumentException(
                $"The network would have {parameters:N0} parameters ({parameters * 3 * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() / 1e9:N1} GB with their gradients and the training engine's copy); the limit is {MaxParameters:N0}. Use fewer or narrower layers.");
        }

        var random = new SeededRandom(seed);
        var layers = new List<ILayer<T>>();
        int width = Inputs;
        foreach ((int units, ActivationKind? activation, IInitializer? layerWeights, IInitializer? layerBias) in _specs)
        {
            var dense = new Dense<T>(width, units);
            IInitializer weightInit = layerWeights ?? weights ?? DefaultFor(activation);
            weightInit.Fill(dense.Weights.Value.AsSpan(), width, units, random);
            (layerBias ?? Initializers.Zeros).Fill(dense.Bias.Value.AsSpan(), width, units, random);
            layers.Add(dense);
            if (activation is { } kind)
            {
                layers.Add(new ActivationLayer<T>(kind));
            }

            width = units;
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

    private static IInitializer DefaultFor(ActivationKind? activation) =>
        activation is ActivationKind.Relu or ActivationKind.LeakyRelu ? Initializers.He : Initializers.Xavier;
}
