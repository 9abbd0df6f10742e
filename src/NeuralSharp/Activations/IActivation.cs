using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>
/// An activation function <c>z = f(u)</c> and its backward pass <c>∂L/∂u = ∂L/∂z · ∂z/∂u</c>, on row-major spans
/// <c>[batch, columns]</c>. Implementations are stateless, so one instance can serve many layers.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Which function this is.</summary>
    ActivationKind Kind { get; }

    /// <summary>Forward: <c>z = f(u)</c>. <paramref name="columns"/> matters only to row-wise functions (softmax).</summary>
    void Forward(ReadOnlySpan<T> u, Span<T> z, int columns);

    /// <summary>
    /// Backward: <c>du = ∂L/∂u</c> from <c>dz = ∂L/∂z</c>, reusing the <paramref name="u"/> and <paramref name="z"/>
    /// that the forward pass stored.
    /// </summary>
    void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns);
}

/// <summary>
/// An activation applied element by element, whose derivative <c>f'(u)</c> exists on its own (the course's
/// <c>d_sigmoid</c>, <c>d_relu</c>); softmax is not one of these, its derivative being a Jacobian per row.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IElementwiseActivation<T> : IActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The derivative <c>f'(u)</c>, element by element, from u and the stored <c>z = f(u)</c>.</summary>
    void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative);
}
