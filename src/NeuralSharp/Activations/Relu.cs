using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>
/// Rectified linear unit: <c>z = max(0, u)</c>, <c>f'(u) = 1 if u &gt; 0 else 0</c> (the course's <c>d_relu</c>).
/// Its gradient does not shrink for positive inputs, which is why it eases the vanishing gradient.
/// </summary>
public sealed class Relu<T>() : ElementwiseActivation<T, ReluOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Relu;
}

/// <summary>
/// ReLU's formula: <c>f(u) = max(0, u)</c>, <c>f'(u) = 1 if u &gt; 0 else 0</c>, branch-free (a unit's sign changes from
/// sample to sample, and a mispredicted branch costs more than the unit's work).
/// </summary>
public readonly struct ReluOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T Value(T u) => Masked.WherePositive(u, u);

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => Vector.Max(u, Vector<T>.Zero);

    /// <inheritdoc />
    public T Derivative(T u, T z) => Masked.WherePositive(u, T.One);

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => Vector.ConditionalSelect(Vector.GreaterThan(u, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
}
