using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>Identity: <c>z = u</c>, <c>f'(u) = 1</c>. The output of a regression network.</summary>
public sealed class Identity<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Identity;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => u.CopyTo(z);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns) => dz.CopyTo(du);

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative) => derivative[..u.Length].Fill(T.One);
}
