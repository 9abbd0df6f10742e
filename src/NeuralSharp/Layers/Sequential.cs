using System.Numerics;
using NeuralSharp.Losses;

namespace NeuralSharp.Layers;

/// <summary>
/// A network of layers applied in order, of any depth and width (2-3-3-1, 3-10-5-4, 784-40-10): the forward pass
/// feeds each layer's output to the next; the backward pass sends δ back through them in reverse.
/// </summary>
/// <remarks>
/// When the last layer is the activation a loss fuses with (softmax with cross entropy, sigmoid with binary cross
/// entropy), <see cref="ComputeGradients"/> starts the backward pass from <c>δ = (y − d) / batch</c> at that
/// activation's input, as the course does, instead of differentiating the activation and the loss separately.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sequential<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly BufferCache<T> _outputGradients = new();
    private readonly ITrainingModeLayer<T>[] _modeLayers;
    private readonly bool _convolutional;
    private bool _training = true;

    /// <summary>
    /// Creates the network. Unnamed layers are named by kind and position: <c>dense1</c>, <c>relu1</c>, <c>dense2</c>…
    /// </summary>
    /// <exception cref="ArgumentException">No layers, or the first layer is not a <see cref="Dense{T}"/>.</exception>
    /// <exception cref="ShapeMismatchException">One layer's output width does not fit the next layer's input.</exception>
    public Sequential(params IEnumerable<ILayer<T>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        int inputs = _layers.Length == 0 ? 0 : _layers[0] switch
        {
            Dense<T> dense => dense.Inputs,
            Conv2D<T> conv => conv.Input.Size,
            RecurrentLayer<T> recurrent => recurrent.Input.Size,
            Embedding<T> embedding => embedding.Steps,
            Bidirectional<T> both => both.Input.Size,
            _ => 0,
        };
        if (inputs == 0)
        {
            throw new ArgumentException("A network starts with a Dense, Conv2D, recurrent or Embedding layer (it fixes the input width).", nameof(layers));
        }

        NameLayers(_layers);
        int width = inputs;
        foreach (ILayer<T> layer in _layers)
        {
            width = layer.OutputWidth(width);
        }

        InputWidth = inputs;
        OutputWidth = width;
        _parameters = [.. _layers.SelectMany(layer => layer.Parameters)];
        _modeLayers = [.. _layers.OfType<ITrainingModeLayer<T>>()];
        _convolutional = _layers.Any(layer => layer is Conv2D<T>);
    }

    /// <summary>The layers, input side first.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Every learnable parameter, layer by layer (<c>dense1.W</c>, <c>dense1.b</c>, <c>dense2.W</c>…).</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The number of input features.</summary>
    public int InputWidth { get; }

    /// <summary>The number of outputs.</summary>
    public int OutputWidth { get; }

    /// <summary>
    /// Whether <see cref="Forward"/> and <see cref="ComputeGradients"/> refuse NaN and ±∞ in x and d (default on).
    /// A trainer that checked its data set once may turn it off.
    /// </summary>
    public bool CheckValues { get; set; } = true;

    /// <summary>
    /// True while training (the default, as in PyTorch): dropout drops and batch normalisation uses the batch's
    /// statistics. Set it to false for inference; <see cref="Predict"/> does so by itself.
    /// </summary>
    public bool Training
    {
        get => _training;
        set
        {
            _training = value;
            foreach (ITrainingModeLayer<T> layer in _modeLayers)
            {
                layer.Training = value;
            }
        }
    }

    /// <summary>
    /// The forward pass in inference mode (<see cref="Training"/> off for the pass, then as it was). A large batch goes
    /// in chunks — <see cref="PredictChunk"/> rows with convolutions (im2col of a whole test set at once would need
    /// gigabytes), <see cref="DensePredictChunk"/> without (every layer would otherwise keep buffers as tall as the data
    /// set) — whose outputs are gathered into a new tensor.
    /// </summary>
    public NDArray<T> Predict(NDArray<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        bool training = Training;
        Training = false;
        try
        {
            int size = _convolutional ? PredictChunk : DensePredictChunk;
            MemoryBudget.EnsureFits(this, Math.Min(size, x.Rows), $"Predicting {Math.Min(size, x.Rows):N0} rows at a time");
            if (x.Rows <= size)
            {
                return Forward(x);
            }

            Guard.IsBatch(x, InputWidth, "Network", _layers[0].Name);
            var y = new NDArray<T>(x.Rows, OutputWidth);
            var chunk = new NDArray<T>(size, InputWidth);
            for (int start = 0; start < x.Rows; start += size)
            {
                int rows = Math.Min(size, x.Rows - start);
                NDArray<T> part = rows == size ? chunk : new NDArray<T>(rows, InputWidth);
                x.AsSpan().Slice(start * InputWidth, rows * InputWidth).CopyTo(part.AsSpan());
                Forward(part).AsSpan().CopyTo(y.AsSpan().Slice(start * OutputWidth, rows * OutputWidth));
            }

            return y;
        }
        finally
        {
            Training = training;
        }
    }

    /// <summary>The rows a network with convolutions predicts at a time.</summary>
    public const int PredictChunk = 500;

    /// <summary>The rows a network without convolutions predicts at a time (tall enough for the matrix products to run at full speed).</summary>
    public const int DensePredictChunk = 8192;

    /// <summary>The total number of learnable values.</summary>
    public int ParameterCount => _parameters.Sum(parameter => parameter.Value.Length);

    /// <summary>The output layer's activation, or null when the network ends in a dense layer.</summary>
    public ActivationLayer<T>? OutputActivation => _layers[^1] as ActivationLayer<T>;

    /// <summary>Forward pass: <c>y</c> for a batch <c>x [batch, in]</c>. The result is the last layer's buffer.</summary>
    /// <exception cref="ShapeMismatchException">x is not <c>[batch, InputWidth]</c> (the message names the layer).</exception>
    /// <exception cref="NonFiniteValueException">x holds NaN or ±∞ (the message names row and column).</exception>
    public NDArray<T> Forward(NDArray<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.IsBatch(x, InputWidth, "Dense layer", _layers[0].Name);
        if (CheckValues)
        {
            Guard.AllFinite(x, "Input x");
        }

        return ForwardUnchecked(x);
    }

    /// <summary>The forward pass through every layer, without the value scan (the first layer still checks the shape).</summary>
    internal NDArray<T> ForwardUnchecked(NDArray<T> x)
    {
        NDArray<T> z = x;
        foreach (ILayer<T> layer in _layers)
        {
            z = layer.Forward(z);
        }

        return z;
    }

    /// <summary>Backward pass from <c>∂E/∂y</c> through every layer; returns <c>∂E/∂x</c>.</summary>
    public NDArray<T> Backward(NDArray<T> outputGradient) => BackwardFrom(_layers.Length - 1, outputGradient);

    /// <summary>The loss for a batch, without a backward pass.</summary>
    public T Loss(NDArray<T> x, NDArray<T> d, ILoss<T> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.Compute(Forward(x), d);
    }

    /// <summary>
    /// Forward, loss and backward for one batch: afterwards every parameter's <see cref="Parameter{T}.Gradient"/>
    /// holds <c>∂E/∂parameter</c>. Returns the loss E.
    /// </summary>
    public T ComputeGradients(NDArray<T> x, NDArray<T> d, ILoss<T> loss)
    {
        T error = ForwardToDelta(x, d, loss, out NDArray<T> delta, out int last);
        BackwardToParameters(last, delta);
        return error;
    }

    /// <summary>True when the output activation and the loss fuse into <c>δ = (y − d) / batch</c>.</summary>
    public bool IsFused(ILoss<T> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return OutputActivation is { } output && loss.FusedActivation == output.Activation.Kind;
    }

    /// <summary>
    /// Forward and loss, then the gradient the backward pass starts from: <c>δ = (y − d) / batch</c> at the output
    /// activation's input when the activation and loss fuse (<paramref name="last"/> is then the layer before it), else
    /// <c>∂E/∂y</c> at the last layer. Returns the loss E. Without <paramref name="checkValues"/> (a trainer that
    /// checked its data set once), x and d are not scanned for NaN and ±∞.
    /// </summary>
    internal T ForwardToDelta(NDArray<T> x, NDArray<T> d, ILoss<T> loss, out NDArray<T> delta, out int last, bool checkValues = true)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(loss);
        if (_training)
        {
            // a training step: dropout's next mask
            foreach (ITrainingModeLayer<T> layer in _modeLayers)
            {
                layer.BeginStep();
            }
        }

        NDArray<T> y = checkValues ? Forward(x) : ForwardUnchecked(x);
        if (checkValues && CheckValues)
        {
            Guard.AllFinite(d, "Targets d");
        }

        T error = loss.Compute(y, d);
        delta = _outputGradients.Get(y.Rows, y.Columns);
        last = _layers.Length - 1;
        if (IsFused(loss))
        {
            loss.FusedDelta(y, d, delta);
            last--;
        }
        else
        {
            // ∂E/∂y, for the chain rule through every layer
            loss.Gradient(y, d, delta);
        }

        return error;
    }

    /// <summary>The backward pass for training: ∂E/∂x of the network's input is not needed, so the first layer skips it.</summary>
    private void BackwardToParameters(int last, NDArray<T> gradient)
    {
        if (last >= 1)
        {
            gradient = BackwardFrom(last, gradient, stopAt: 1);
        }

        if (last >= 0)
        {
            _layers[0].BackwardToParameters(gradient);
        }
    }

    private NDArray<T> BackwardFrom(int last, NDArray<T> gradient, int stopAt = 0)
    {
        for (int i = last; i >= stopAt; i--)
        {
            gradient = _layers[i].Backward(gradient);
        }

        return gradient;
    }

    private static void NameLayers(ILayer<T>[] layers)
    {
        var counts = new Dictionary<string, int>();
        foreach (ILayer<T> layer in layers)
        {
            string kind = layer switch
            {
                Dense<T> => "dense",
                SimpleRnn<T> => "rnn",
                Bidirectional<T> both => "bi" + both.Forwards.GetType().Name.Split('`')[0].ToLowerInvariant().Replace("simple", "", StringComparison.Ordinal),
                TimeDistributedDense<T> => "stepdense",
                ActivationLayer<T> activation => Activations.Activation.NameOf(activation.Activation.Kind).Replace("-", "", StringComparison.Ordinal),
                _ => layer.GetType().Name.Split('`')[0].ToLowerInvariant(),
            };
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            if (string.IsNullOrEmpty(layer.Name))
            {
                layer.Name = kind + counts[kind].ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
