using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// Fully connected (affine) layer: <c>u = x·W + b</c>, with <c>x [batch, in]</c>, <c>W [in, out]</c> (stored as in
/// the course), <c>b [out]</c> and <c>u [batch, out]</c>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dense<T> : IAffineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new();
    private readonly BufferCache<T> _inputGradients = new();
    private readonly Parameter<T>[] _parameters;
    private string _name = "";

    /// <summary>Creates a layer with zero weights and biases; an initializer (or the builder) fills them.</summary>
    public Dense(int inputs, int outputs, string? name = null)
        : this(new NDArray<T>(inputs, outputs), new NDArray<T>(new Shape(outputs)), name)
    {
    }

    /// <summary>Creates a layer from literal weights <c>W [in, out]</c> and bias <c>b [out]</c> (both copied).</summary>
    /// <exception cref="ShapeMismatchException">W is not a matrix, or b's length is not W's column count.</exception>
    public Dense(NDArray<T> weights, NDArray<T> bias, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (weights.Rank != 2)
        {
            throw new ShapeMismatchException($"Dense layer weights must be a matrix [in, out], but got {weights.Shape}.");
        }

        if (bias.Length != weights.Shape[1])
        {
            throw new ShapeMismatchException(
                $"Dense layer bias must have one value per output: W is {weights.Shape} so b must be [{weights.Shape[1]}], but got {bias.Shape}.");
        }

        Weights = new Parameter<T>("W", weights.Clone());
        Bias = new Parameter<T>("b", new NDArray<T>(new Shape(bias.Length), bias.ToArray()));
        _parameters = [Weights, Bias];
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name
    {
        get => _name;
        set
        {
            _name = value;
            string prefix = string.IsNullOrEmpty(value) ? "" : value + ".";
            Weights.Name = prefix + "W";
            Bias.Name = prefix + "b";
        }
    }

    /// <summary>The weights <c>W [in, out]</c> and their gradient <c>∂L/∂W</c>.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>The bias <c>b [out]</c> and its gradient <c>∂L/∂b</c>.</summary>
    public Parameter<T> Bias { get; }

    /// <summary>The number of input features.</summary>
    public int Inputs => Weights.Shape[0];

    /// <summary>The number of units (outputs).</summary>
    public int Outputs => Weights.Shape[1];

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Inputs
        ? Outputs
        : throw new ShapeMismatchException($"Dense layer '{Name}' expects input [batch, {Inputs}] but got [batch, {inputWidth}].");

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Inputs, "Dense layer", Name);
        int batch = x.Rows;
        NDArray<T> u = _outputs.Get(batch, Outputs);
        // u = x·W
        Gemm.Multiply<T>(x.AsSpan(), Weights.Value.AsSpan(), u.AsSpan(), m: batch, n: Outputs, k: Inputs);
        // u += b, broadcast over the batch
        RowOps.AddToEachRow<T>(u.AsSpan(), Bias.Value.AsSpan());
        LastInput = x;
        LastOutput = u;
        return u;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        NDArray<T> delta = ParameterGradients(outputGradient);
        return InputGradient(delta);
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient) => ParameterGradients(outputGradient);

    /// <inheritdoc />
    public NDArray<T>? PassBack(NDArray<T> outputGradient, bool inputGradient)
    {
        InputFor(outputGradient);
        LastOutputGradient = outputGradient;
        return inputGradient ? InputGradient(outputGradient) : null;
    }

    /// <summary>∂L/∂x = δ·Wᵀ, into the layer's buffer for the batch size.</summary>
    private NDArray<T> InputGradient(NDArray<T> delta)
    {
        NDArray<T> dx = _inputGradients.Get(delta.Rows, Inputs);
        Gemm.Multiply<T>(delta.AsSpan(), Weights.Value.AsSpan(), dx.AsSpan(), m: delta.Rows, n: Inputs, k: Outputs, transposeB: true);
        return dx;
    }

    /// <summary>The input the last forward pass stored, once δ is checked against the output's shape.</summary>
    private NDArray<T> InputFor(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"Dense layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, Outputs))
        {
            throw new ShapeMismatchException(
                $"Dense layer '{Name}' backward expects δ [{x.Rows}, {Outputs}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        return x;
    }

    /// <summary>∂L/∂W and ∂L/∂b from δ = ∂L/∂u; returns δ.</summary>
    private NDArray<T> ParameterGradients(NDArray<T> outputGradient)
    {
        NDArray<T> x = InputFor(outputGradient);
        NDArray<T> delta = outputGradient;
        LastOutputGradient = delta;
        // ∂L/∂W = xᵀ·δ
        Gemm.Multiply<T>(x.AsSpan(), delta.AsSpan(), Weights.Gradient.AsSpan(), m: Inputs, n: Outputs, k: x.Rows, transposeA: true);
        // ∂L/∂b = Σ_batch δ
        RowOps.SumRows<T>(delta.AsSpan(), Bias.Gradient.AsSpan());
        return delta;
    }

    /// <inheritdoc />
    public override string ToString() => $"Dense '{Name}' {Inputs}→{Outputs}";
}
