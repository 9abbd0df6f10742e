using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>Hyperbolic tangent: <c>z = tanh(u)</c>, <c>f'(u) = 1 − z²</c>.</summary>
public sealed class Tanh<T>() : ElementwiseActivation<T, TanhOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Tanh;
}

/// <summary>The hyperbolic tangent's formula: <c>f(u) = tanh(u) = 1 − 2 / (e^(2u) + 1)</c>, <c>f'(u) = 1 − z²</c>.</summary>
public readonly struct TanhOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T Value(T u) => T.Tanh(u);

    /// <inheritdoc />
    /// <remarks>Written as <c>1 − 2 / (e^(2u) + 1)</c>, which stays finite where e^(2u) overflows (it gives 1).</remarks>
    public Vector<T> Value(Vector<T> u)
    {
        Vector<T> two = Vector<T>.One + Vector<T>.One;
        return Vector<T>.One - (two / (VectorMath.Exp(u * two) + Vector<T>.One));
    }

    /// <inheritdoc />
    public T Derivative(T u, T z) => T.One - (z * z);

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => Vector<T>.One - (z * z);
}
