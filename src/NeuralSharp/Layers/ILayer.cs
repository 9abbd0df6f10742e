using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// The layer contract (as in Deep Learning from Scratch): parameters and cached intermediates, <see cref="Forward"/>,
/// and <see cref="Backward"/>, which reuses what the forward pass stored.
/// </summary>
/// <remarks>
/// The tensors a layer returns are its own buffers, reused by the next call with the same batch size: read or copy
/// them before the next pass. Nothing is allocated after the first call with a given batch size.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer's name, e.g. <c>dense1</c>; a <see cref="Sequential{T}"/> gives unnamed layers one.</summary>
    string Name { get; set; }

    /// <summary>The learnable parameters (none for an activation layer).</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The input the last <see cref="Forward"/> received, or null before the first.</summary>
    NDArray<T>? LastInput { get; }

    /// <summary>The output the last <see cref="Forward"/> returned, or null before the first.</summary>
    NDArray<T>? LastOutput { get; }

    /// <summary>The gradient <c>∂L/∂output</c> the last <see cref="Backward"/> received (for a dense layer: δ).</summary>
    NDArray<T>? LastOutputGradient { get; }

    /// <summary>The width of the output for an input of <paramref name="inputWidth"/> features.</summary>
    /// <exception cref="ShapeMismatchException">The layer cannot take that width.</exception>
    int OutputWidth(int inputWidth);

    /// <summary>Computes the output for a batch <c>x [batch, in]</c> and stores what the backward pass needs.</summary>
    NDArray<T> Forward(NDArray<T> x);

    /// <summary>
    /// Given <c>∂L/∂output</c>, sets the parameters' gradients and returns <c>∂L/∂input</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No forward pass came first.</exception>
    NDArray<T> Backward(NDArray<T> outputGradient);

    /// <summary>
    /// Like <see cref="Backward"/>, for the first layer of a network: sets the parameters' gradients (and
    /// <see cref="LastOutputGradient"/>) but need not compute <c>∂L/∂input</c>, which nothing would use. A dense
    /// layer skips its <c>δ·Wᵀ</c> product; the default simply runs <see cref="Backward"/>.
    /// </summary>
    void BackwardToParameters(NDArray<T> outputGradient) => Backward(outputGradient);
}
