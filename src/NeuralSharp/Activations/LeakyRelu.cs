using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>Leaky ReLU: <c>z = u if u &gt; 0 else αu</c>, <c>f'(u) = 1 if u &gt; 0 else α</c>.</summary>
public sealed class LeakyRelu<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the function with slope <paramref name="alpha"/> for negative inputs (default 0.01).</summary>
    public LeakyRelu(double alpha = 0.01) => Alpha = T.CreateChecked(alpha);

    /// <summary>The slope α for negative inputs.</summary>
    public T Alpha { get; }

    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.LeakyRelu;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns)
    {
        for (int i = 0; i < u.Length; i++)
        {
            z[i] = u[i] > T.Zero ? u[i] : Alpha * u[i];
        }
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns) =>
        // ∂L/∂u = ∂L/∂z where u > 0, else α·∂L/∂z
        Masked.WherePositive(u, dz, Alpha, du);

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        for (int i = 0; i < u.Length; i++)
        {
            derivative[i] = u[i] > T.Zero ? T.One : Alpha;
        }
    }
}
