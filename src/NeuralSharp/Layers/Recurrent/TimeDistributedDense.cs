using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// One dense layer applied at every step of a sequence (Keras's <c>TimeDistributed(Dense)</c>): the same W and b for
/// each step's vector, as the course's 3_1 network reads an output bit from every state.
/// <code>
/// yₜ = hₜ·W + b                                        [batch, T·O]      forward
/// ∂L/∂W = Σₜ hₜᵀ·δₜ,   ∂L/∂b = Σₜ Σ δₜ,   ∂L/∂hₜ = δₜ·Wᵀ                   backward
/// </code>
/// A batch <c>[batch, T·H]</c> is row-major <c>[batch·T, H]</c>, so each formula is one matrix product over all steps.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TimeDistributedDense<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new(), _inputGradients = new();
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    public TimeDistributedDense(int steps, int inputs, int outputs, bool bias = true, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        (Steps, HasBias) = (steps, bias);
        Weights = new Parameter<T>("W", new NDArray<T>(inputs, outputs));
        Bias = new Parameter<T>("b", new NDArray<T>(new Shape(outputs)));
        _parameters = bias ? [Weights, Bias] : [Weights];
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name
    {
        get;
        set
        {
            field = value;
            string prefix = string.IsNullOrEmpty(value) ? "" : value + ".";
            (Weights.Name, Bias.Name) = (prefix + "W", prefix + "b");
        }
    }

    /// <summary>T, the steps of each sequence.</summary>
    public int Steps { get; }

    /// <summary>The width of each step's input vector.</summary>
    public int Inputs => Weights.Shape[0];

    /// <summary>The width of each step's output vector.</summary>
    public int Outputs => Weights.Shape[1];

    /// <summary>Whether the layer has a bias (the course's 3_1 output layer has none).</summary>
    public bool HasBias { get; }

    /// <summary>W, <c>[in, out]</c>, shared by every step.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>b, <c>[out]</c> (zeros and not learned without a bias).</summary>
    public Parameter<T> Bias { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Steps * Inputs
        ? Steps * Outputs
        : throw new ShapeMismatchException($"TimeDistributedDense layer '{Name}' expects {Steps} steps of {Inputs} ([batch, {Steps * Inputs}]) but got [batch, {inputWidth}].");

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Steps * Inputs, "TimeDistributedDense layer", Name);
        int rows = x.Rows * Steps;
        NDArray<T> y = _outputs.Get(x.Rows, Steps * Outputs);
        Gemm.Multiply<T>(x.AsSpan(), Weights.Value.AsSpan(), y.AsSpan(), m: rows, n: Outputs, k: Inputs);
        if (HasBias)
        {
            RowOps.AddToEachRow<T>(y.AsSpan(), Bias.Value.AsSpan());
        }

        LastInput = x;
        LastOutput = y;
        return y;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        ParameterGradients(outputGradient);
        NDArray<T> dx = _inputGradients.Get(outputGradient.Rows, Steps * Inputs);
        Gemm.Multiply<T>(outputGradient.AsSpan(), Weights.Value.AsSpan(), dx.AsSpan(), m: outputGradient.Rows * Steps, n: Inputs, k: Outputs, transposeB: true);
        return dx;
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient) => ParameterGradients(outputGradient);

    private void ParameterGradients(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"TimeDistributedDense layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, Steps * Outputs))
        {
            throw new ShapeMismatchException($"TimeDistributedDense layer '{Name}' backward expects δ [{x.Rows}, {Steps * Outputs}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        Gemm.Multiply<T>(x.AsSpan(), outputGradient.AsSpan(), Weights.Gradient.AsSpan(), m: Inputs, n: Outputs, k: x.Rows * Steps, transposeA: true);
        if (HasBias)
        {
            RowOps.SumRows<T>(outputGradient.AsSpan(), Bias.Gradient.AsSpan());
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"TimeDistributedDense '{Name}' {Steps}×({Inputs}→{Outputs})";
}
