using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// Images <c>[batch, C, H, W]</c> as rows of C·H·W features for the dense layers after them. Batches already travel
/// as such rows, in [C, H, W] order, so nothing moves: the layer marks where images end (for the summary, the model
/// file and ONNX export, which reshapes there).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Flatten<T>(ImageShape input, string? name = null) : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public string Name { get; set; } = name ?? "";

    /// <summary>The shape of one input image.</summary>
    public ImageShape Input { get; } = input.Validated(nameof(input));

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput => LastInput;

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Input.Size
        ? inputWidth
        : throw new ShapeMismatchException($"Flatten layer '{Name}' expects images of {Input} ([batch, {Input.Size}]) but got [batch, {inputWidth}].");

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Input.Size, "Flatten layer", Name);
        LastInput = x;
        return x;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        LastOutputGradient = outputGradient;
        return outputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => $"Flatten '{Name}' {Input} → {Input.Size}";
}
