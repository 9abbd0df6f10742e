using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>
/// An elementwise activation from its formula: forward <c>z = f(u)</c>, backward <c>∂L/∂u = ∂L/∂z ⊙ f'(u)</c> (both run by
/// the kernels' one driver, <see cref="Elementwise"/>) and the derivative itself.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TOperator">The function's formula.</typeparam>
public abstract class ElementwiseActivation<T, TOperator> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOperator : struct, IActivationOperator<T>
{
    /// <summary>Creates the function with its formula (an operator with parameters, like leaky ReLU's α, carries them).</summary>
    protected ElementwiseActivation(TOperator formula) => Operator = formula;

    /// <summary>The formula, for paths that apply it one number at a time.</summary>
    public TOperator Operator { get; }

    /// <inheritdoc />
    public abstract ActivationKind Kind { get; }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => Elementwise.Forward(Operator, u, z);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns) => Elementwise.Backward(Operator, u, z, dz, du);

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        TOperator f = Operator;
        for (int i = 0; i < u.Length; i++)
        {
            derivative[i] = f.Derivative(u[i], z[i]);
        }
    }
}
