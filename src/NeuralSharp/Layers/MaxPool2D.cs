using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// Max pooling over images <c>[batch, C, H, W]</c>: each output is the largest input in its size×size window, taken
/// every <c>stride</c> pixels, channel by channel (Deep Learning from Scratch §7.4.4). The backward pass sends each
/// output's gradient to the input that was the maximum (the first one, on a tie) and 0 to the others.
/// <code>
/// y[n, c, oy, ox] = max over (i, j) of x[n, c, oy·S + i, ox·S + j]          forward
/// ∂L/∂x[argmax] += ∂L/∂y                                                   backward
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MaxPool2D<T> : ILayer<T>, IWorkingMemory
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new(), _inputGradients = new();
    private int[] _argmax = [];

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to the window size (windows that do not overlap).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive or larger than the image.</exception>
    public MaxPool2D(ImageShape input, int size, int? stride = null, string? name = null)
    {
        Input = input.Validated(nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Stride = stride ?? size;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Stride);
        if (size > input.Height || size > input.Width)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"MaxPool2D: a {size}×{size} window does not fit a {input} image.");
        }

        Size = size;
        Output = new ImageShape(input.Channels, Im2Col.OutputSize(input.Height, size, Stride, 0), Im2Col.OutputSize(input.Width, size, Stride, 0));
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name { get; set; }

    /// <summary>The shape of one input image.</summary>
    public ImageShape Input { get; }

    /// <summary>The shape of one output.</summary>
    public ImageShape Output { get; }

    /// <summary>The window's side.</summary>
    public int Size { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Input.Size
        ? Output.Size
        : throw new ShapeMismatchException($"MaxPool2D layer '{Name}' expects images of {Input} ([batch, {Input.Size}]) but got [batch, {inputWidth}].");

    /// <summary>Each window's winner in the last forward pass: the index of its largest value in the batch's input.</summary>
    internal ReadOnlySpan<int> Winners => _argmax;

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Input.Size, "MaxPool2D layer", Name);
        int batch = x.Rows;
        NDArray<T> y = _outputs.Get(batch, Output.Size);
        if (_argmax.Length != y.Length)
        {
            _argmax = new int[y.Length];
        }

        MaxPooling.Forward<T>(x.AsSpan(), y.AsSpan(), _argmax, batch * Input.Channels, Input.Height, Input.Width, Size, Stride);
        LastInput = x;
        LastOutput = y;
        return y;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"MaxPool2D layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, Output.Size))
        {
            throw new ShapeMismatchException($"MaxPool2D layer '{Name}' backward expects [{x.Rows}, {Output.Size}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        NDArray<T> dx = _inputGradients.Get(x.Rows, Input.Size);
        MaxPooling.Backward<T>(outputGradient.AsSpan(), _argmax, dx.AsSpan(), x.Rows * Input.Channels, Input.Height, Input.Width, Size, Stride);
        return dx;
    }

    /// <inheritdoc />
    public long WorkingValues(int batch) =>
        // the output, each output's winner (an index, counted as a value), and the input's gradient
        (long)batch * ((2L * Output.Size) + Input.Size);

    /// <inheritdoc />
    public override string ToString() => $"MaxPool2D '{Name}' {Input} → {Output} ({Size}×{Size}, stride {Stride})";
}
