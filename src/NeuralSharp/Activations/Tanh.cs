using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Activations;

/// <summary>Hyperbolic tangent: <c>z = tanh(u)</c>, <c>f'(u) = 1 − z²</c>.</summary>
public sealed class Tanh<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Tanh;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => TensorPrimitives.Tanh(u, z);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns)
    {
        for (int i = 0; i < z.Length; i++)
        {
            // ∂L/∂u = ∂L/∂z · (1 − z²)
            du[i] = dz[i] * (T.One - (z[i] * z[i]));
        }
    }

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        for (int i = 0; i < z.Length; i++)
        {
            derivative[i] = T.One - (z[i] * z[i]);
        }
    }
}
