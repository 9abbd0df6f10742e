using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Activations;

/// <summary>Sigmoid: <c>z = 1 / (1 + e^(−u))</c>, <c>f'(u) = z(1 − z)</c> (the course's <c>d_sigmoid</c>).</summary>
public sealed class Sigmoid<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Sigmoid;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => TensorPrimitives.Sigmoid(u, z);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns)
    {
        for (int i = 0; i < z.Length; i++)
        {
            // ∂L/∂u = ∂L/∂z · z(1 − z)
            du[i] = dz[i] * z[i] * (T.One - z[i]);
        }
    }

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        for (int i = 0; i < z.Length; i++)
        {
            derivative[i] = z[i] * (T.One - z[i]);
        }
    }
}
