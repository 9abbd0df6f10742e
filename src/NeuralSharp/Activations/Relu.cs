using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>
/// Rectified linear unit: <c>z = max(0, u)</c>, <c>f'(u) = 1 if u &gt; 0 else 0</c> (the course's <c>d_relu</c>).
/// Its gradient does not shrink for positive inputs, which is why it eases the vanishing gradient.
/// </summary>
public sealed class Relu<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Relu;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => TensorPrimitives.Max(u, T.Zero, z);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns) =>
        // ∂L/∂u = ∂L/∂z where u > 0, else 0
        Masked.WherePositive(u, dz, T.Zero, du);

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        for (int i = 0; i < u.Length; i++)
        {
            derivative[i] = u[i] > T.Zero ? T.One : T.Zero;
        }
    }
}
