using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// A convolution over images <c>[batch, C, H, W]</c> with F filters of KH×KW, stride S and zero padding P, by im2col
/// and a matrix product per image (Deep Learning from Scratch §7.4; the kernel is <see cref="Convolution"/>):
/// <code>
/// col_n = im2col(x_n)             [C·KH·KW, OH·OW]
/// u_n   = Wᵀ·col_n + b            [F, OH·OW]                                  forward
/// ∂L/∂W = Σ_n col_n·δ_nᵀ,  ∂L/∂b = Σ δ,  ∂L/∂x_n = col2im(W·δ_n)              backward
/// </code>
/// W is stored <c>[C·KH·KW, F]</c> (the course's <c>col_W</c>: column f is filter f, its taps in (c, i, j) order), so
/// initialisers see it as a dense layer's <c>[in, out]</c> with fan-in C·KH·KW.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Conv2D<T> : ILayer<T>, IWorkingMemory
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _columns = new(), _outputs = new(), _inputGradients = new();
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the kernel does not fit the padded image.</exception>
    public Conv2D(ImageShape input, int filters, int kernelHeight, int kernelWidth, int stride = 1, int padding = 0, string? name = null)
    {
        Input = input.Validated(nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        (KernelHeight, KernelWidth, Stride, Padding) = (kernelHeight, kernelWidth, stride, padding);
        int height = Im2Col.OutputSize(input.Height, kernelHeight, stride, padding), width = Im2Col.OutputSize(input.Width, kernelWidth, stride, padding);
        if (kernelHeight > input.Height + (2 * padding) || kernelWidth > input.Width + (2 * padding))
        {
            throw new ArgumentOutOfRangeException(nameof(kernelHeight), $"Conv2D: a {kernelHeight}×{kernelWidth} kernel does not fit a {input} image padded by {padding}.");
        }

        Output = new ImageShape(filters, height, width).Validated("Conv2D output");
        Weights = new Parameter<T>("W", new NDArray<T>(Taps, filters));
        Bias = new Parameter<T>("b", new NDArray<T>(new Shape(filters)));
        _parameters = [Weights, Bias];
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name { get; set; }

    /// <summary>The shape of one input image.</summary>
    public ImageShape Input { get; }

    /// <summary>The shape of one output: F feature maps of OH×OW.</summary>
    public ImageShape Output { get; }

    /// <summary>The number of filters F.</summary>
    public int Filters => Output.Channels;

    /// <summary>Kernel height KH.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel width KW.</summary>
    public int KernelWidth { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; }

    /// <summary>The taps of one filter: C·KH·KW.</summary>
    public int Taps => Input.Channels * KernelHeight * KernelWidth;

    /// <summary>The filters, <c>[C·KH·KW, F]</c>.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>One bias per filter, <c>[F]</c>.</summary>
    public Parameter<T> Bias { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Input.Size
        ? Output.Size
        : throw new ShapeMismatchException($"Conv2D layer '{Name}' expects images of {Input} ([batch, {Input.Size}]) but got [batch, {inputWidth}].");

    /// <summary>The sizes the kernels take.</summary>
    private ConvolutionShape Geometry => new(Input.Channels, Input.Height, Input.Width, Filters, KernelHeight, KernelWidth, Stride, Padding);

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Input.Size, "Conv2D layer", Name);
        int batch = x.Rows;
        // each sample's columns [K, P], kept for ∂W
        NDArray<T> col = _columns.Get(batch, Taps * Output.Height * Output.Width);
        NDArray<T> u = _outputs.Get(batch, Output.Size);
        Convolution.Forward<T>(Geometry, batch, x.AsSpan(), Weights.Value.AsSpan(), Bias.Value.AsSpan(), col.AsSpan(), u.AsSpan());
        LastInput = x;
        LastOutput = u;
        return u;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        NDArray<T> dx = _inputGradients.Get(outputGradient.Rows, Input.Size);
        Gradients(outputGradient, dx.AsSpan());
        return dx;
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient) => Gradients(outputGradient, []);

    /// <summary>∂L/∂W, ∂L/∂b and, when <paramref name="dx"/> is not empty, ∂L/∂x from δ = ∂L/∂u.</summary>
    private void Gradients(NDArray<T> outputGradient, Span<T> dx)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"Conv2D layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, Output.Size))
        {
            throw new ShapeMismatchException($"Conv2D layer '{Name}' backward expects δ [{x.Rows}, {Output.Size}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        // the forward pass's columns are still in their buffer
        NDArray<T> col = _columns.Get(x.Rows, Taps * Output.Height * Output.Width);
        Convolution.Backward<T>(Geometry, x.Rows, col.AsSpan(), outputGradient.AsSpan(), Weights.Value.AsSpan(), Weights.Gradient.AsSpan(), Bias.Gradient.AsSpan(), dx);
    }

    /// <inheritdoc />
    public long WorkingValues(int batch)
    {
        // each sample's columns and its output, the input's gradient; the kernel's scratch (the second half's sums,
        // two samples' ∂L/∂col) and the per-thread copy of δ_nᵀ the plain matrix product makes for ∂W where the packed
        // one does not apply (fewer filters than a vector)
        long positions = (long)Output.Height * Output.Width;
        return ((long)batch * positions * (Taps + Filters)) + ((long)batch * Input.Size) + Convolution.ScratchValues(Geometry) + (2L * positions * Filters);
    }

    /// <inheritdoc />
    public override string ToString() => $"Conv2D '{Name}' {Input} → {Output} ({KernelHeight}×{KernelWidth}, stride {Stride}, padding {Padding})";
}
