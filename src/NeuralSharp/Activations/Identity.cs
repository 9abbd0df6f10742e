using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>Identity: <c>z = u</c>, <c>f'(u) = 1</c>. The output of a regression network.</summary>
public sealed class Identity<T>() : ElementwiseActivation<T, IdentityOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Identity;
}

/// <summary>The identity's formula: <c>f(u) = u</c>, <c>f'(u) = 1</c>.</summary>
public readonly struct IdentityOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T Value(T u) => u;

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => u;

    /// <inheritdoc />
    public T Derivative(T u, T z) => T.One;

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => Vector<T>.One;
}
