using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// Word embedding (Deep Learning from Scratch vol. 2 §4.1): each of a sequence's T ids picks its row of W, a vector of D
/// learnt numbers — the product of a one-hot row with W, without building the one-hot row.
/// <code>
/// yₜ = W[idₜ]                          [batch, T·D]      forward
/// ∂L/∂W[idₜ] += ∂L/∂yₜ                 (a scatter-add: an id seen twice gathers both gradients)     backward
/// </code>
/// The ids come as numbers, T per row (whole, 0 … V − 1); they have no gradient (the layer passes zeros back).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Embedding<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new(), _inputGradients = new();
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates the layer with zero vectors; an initializer (or the builder) fills them.</summary>
    /// <param name="steps">T, the ids in a row.</param>
    /// <param name="vocabulary">V, the number of distinct ids.</param>
    /// <param name="dimension">D, the length of each vector.</param>
    /// <param name="name">The layer's name.</param>
    public Embedding(int steps, int vocabulary, int dimension, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if ((long)vocabulary * dimension > int.MaxValue / 8 || (long)steps * dimension > int.MaxValue / 8)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabulary), $"An embedding of {vocabulary} × {dimension} over {steps} steps is too large.");
        }

        Steps = steps;
        Weights = new Parameter<T>("W", new NDArray<T>(vocabulary, dimension));
        _parameters = [Weights];
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name
    {
        get;
        set
        {
            field = value;
            Weights.Name = string.IsNullOrEmpty(value) ? "W" : value + ".W";
        }
    }

    /// <summary>T, the ids in a row.</summary>
    public int Steps { get; }

    /// <summary>V, the number of distinct ids.</summary>
    public int Vocabulary => Weights.Shape[0];

    /// <summary>D, the length of each vector.</summary>
    public int Dimension => Weights.Shape[1];

    /// <summary>W, <c>[V, D]</c>: row k is id k's vector.</summary>
    public Parameter<T> Weights { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Steps
        ? Steps * Dimension
        : throw new ShapeMismatchException($"Embedding layer '{Name}' expects rows of {Steps} ids ([batch, {Steps}]) but got [batch, {inputWidth}].");

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">An id is not a whole number in 0 … V − 1; the message gives its row and step.</exception>
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Steps, "Embedding layer", Name);
        NDArray<T> y = _outputs.Get(x.Rows, Steps * Dimension);
        ReadOnlySpan<T> ids = x.AsSpan(), w = Weights.Value.AsSpan();
        Span<T> to = y.AsSpan();
        for (int i = 0; i < ids.Length; i++)
        {
            w.Slice(Id(ids[i], i) * Dimension, Dimension).CopyTo(to.Slice(i * Dimension, Dimension));
        }

        LastInput = x;
        LastOutput = y;
        return y;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        ParameterGradients(outputGradient);
        // ids are not learnt: nothing flows back to them
        NDArray<T> dx = _inputGradients.Get(outputGradient.Rows, Steps);
        dx.AsSpan().Clear();
        return dx;
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient) => ParameterGradients(outputGradient);

    private void ParameterGradients(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"Embedding layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, Steps * Dimension))
        {
            throw new ShapeMismatchException($"Embedding layer '{Name}' backward expects δ [{x.Rows}, {Steps * Dimension}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        Span<T> dw = Weights.Gradient.AsSpan();
        dw.Clear();
        ReadOnlySpan<T> ids = x.AsSpan(), delta = outputGradient.AsSpan();
        for (int i = 0; i < ids.Length; i++)
        {
            // ∂L/∂W[id] += δₜ
            Span<T> row = dw.Slice(Id(ids[i], i) * Dimension, Dimension);
            System.Numerics.Tensors.TensorPrimitives.Add(row, delta.Slice(i * Dimension, Dimension), row);
        }
    }

    private int Id(T value, int at)
    {
        double id = double.CreateTruncating(value);
        return id >= 0 && id < Vocabulary && id == Math.Floor(id) ? (int)id
            : throw new ArgumentOutOfRangeException(nameof(value), $"Embedding layer '{Name}': row {(at / Steps) + 1}, step {(at % Steps) + 1} holds {id}, not an id 0 … {Vocabulary - 1}.");
    }

    /// <inheritdoc />
    public override string ToString() => $"Embedding '{Name}' {Steps} ids → {Steps}×{Dimension} (vocabulary {Vocabulary})";
}
