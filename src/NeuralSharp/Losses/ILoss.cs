using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Losses;

/// <summary>
/// A loss (error function) <c>E(y, d)</c> of the network's output <c>y [batch, out]</c> against targets <c>d</c>,
/// and its gradient <c>∂E/∂y</c>, which starts the backward pass.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A short name, e.g. <c>cross-entropy</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The output activation this loss fuses with (softmax for cross entropy, sigmoid for binary cross entropy), whose
    /// combined gradient is simply <c>∂E/∂u = (y − d) / batch</c>; null when there is none.
    /// </summary>
    ActivationKind? FusedActivation { get; }

    /// <summary>The loss, a scalar.</summary>
    /// <exception cref="ShapeMismatchException">The targets' shape does not fit the output's.</exception>
    T Compute(NDArray<T> y, NDArray<T> d);

    /// <summary>Writes <c>∂E/∂y</c> (the shape of y) into <paramref name="dy"/>.</summary>
    void Gradient(NDArray<T> y, NDArray<T> d, NDArray<T> dy);

    /// <summary>
    /// Writes the fused gradient <c>∂E/∂u = (y − d) / batch</c> with respect to the output activation's input.
    /// Only valid when the output activation is <see cref="FusedActivation"/>.
    /// </summary>
    void FusedDelta(NDArray<T> y, NDArray<T> d, NDArray<T> delta);
}
