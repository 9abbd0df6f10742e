using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>Sigmoid: <c>z = 1 / (1 + e^(−u))</c>, <c>f'(u) = z(1 − z)</c> (the course's <c>d_sigmoid</c>).</summary>
public sealed class Sigmoid<T>() : ElementwiseActivation<T, SigmoidOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Sigmoid;
}

/// <summary>The sigmoid's formula: <c>f(u) = 1 / (1 + e^(−u))</c>, <c>f'(u) = z(1 − z)</c>.</summary>
public readonly struct SigmoidOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T Value(T u) => T.One / (T.One + T.Exp(-u));

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => Vector<T>.One / (Vector<T>.One + VectorMath.Exp(-u));

    /// <inheritdoc />
    public T Derivative(T u, T z) => z * (T.One - z);

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => z * (Vector<T>.One - z);
}
