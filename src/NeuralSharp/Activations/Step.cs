using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>
/// Step function: <c>z = 1 if u &gt; 0 else 0</c> (the course's <c>np.where(x &gt; 0, 1, 0)</c>).
/// Its derivative is 0 wherever it exists (everywhere but u = 0), so no gradient flows through it.
/// </summary>
public sealed class Step<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Step;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns)
    {
        for (int i = 0; i < u.Length; i++)
        {
            z[i] = u[i] > T.Zero ? T.One : T.Zero;
        }
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns) =>
        du[..u.Length].Clear();

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative) => derivative[..u.Length].Clear();
}
