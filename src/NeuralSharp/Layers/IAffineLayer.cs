using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// A layer that is an affine map <c>u = x·W + b</c> (<c>x [batch, in]</c>, <c>W [in, out]</c>, <c>b [out]</c>): what the
/// training engine needs of it to fuse a plain gradient step into the backward pass, so that the weight gradient
/// <c>xᵀδ</c> goes straight into W. The layer knows nothing of the step: only its parameters and <c>∂L/∂x</c>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IAffineLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The weights <c>W [in, out]</c>.</summary>
    Parameter<T> Weights { get; }

    /// <summary>The bias <c>b [out]</c>.</summary>
    Parameter<T> Bias { get; }

    /// <summary>
    /// Takes δ = ∂L/∂u (checked against the output's shape, and kept as <see cref="ILayer{T}.LastOutputGradient"/>) and
    /// returns <c>∂L/∂x = δ·Wᵀ</c> with W as it is now — or null when <paramref name="inputGradient"/> is false (the first
    /// layer). The parameters' gradients are not computed.
    /// </summary>
    NDArray<T>? PassBack(NDArray<T> outputGradient, bool inputGradient);
}
