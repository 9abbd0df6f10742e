using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// A convolution over images <c>[batch, C, H, W]</c> with F filters of KH×KW, stride S and zero padding P, by im2col
/// and one matrix product for the whole batch (Deep Learning from Scratch §7.4):
/// <code>
/// col = im2col(x)                 [C·KH·KW, N·OH·OW]
/// u   = Wᵀ·col + b                [F, N·OH·OW], then as [N, F, OH, OW]      forward
/// ∂L/∂W = col·δᵀ,  ∂L/∂b = Σ δ,  ∂L/∂x = col2im(W·δ)                           backward
/// </code>
/// W is stored <c>[C·KH·KW, F]</c> (the course's <c>col_W</c>: column f is filter f, its taps in (c, i, j) order), so
/// initialisers see it as a dense layer's <c>[in, out]</c> with fan-in C·KH·KW.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Conv2D<T> : ILayer<T>, IWorkingMemory
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _columns = new(), _products = new(), _outputs = new(), _inputGradients = new();
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

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Input.Size, "Conv2D layer", Name);
        int batch = x.Rows, positions = Output.Height * Output.Width, columns = batch * positions;
        NDArray<T> col = _columns.Get(Taps, columns);
        Im2Col.Forward<T>(x.AsSpan(), col.AsSpan(), batch, Input.Channels, Input.Height, Input.Width, KernelHeight, KernelWidth, Stride, Padding);
        // u' = Wᵀ·col  [F, N·P]
        NDArray<T> product = _products.Get(Filters, columns);
        Gemm.Multiply<T>(Weights.Value.AsSpan(), col.AsSpan(), product.AsSpan(), m: Filters, n: columns, k: Taps, transposeA: true);
        // u[n, f, :] = u'[f, n·P …] + b[f]
        NDArray<T> u = _outputs.Get(batch, Output.Size);
        ReadOnlySpan<T> from = product.AsSpan();
        Span<T> to = u.AsSpan();
        for (int f = 0; f < Filters; f++)
        {
            T b = Bias.Value[f];
            for (int n = 0; n < batch; n++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(from.Slice((f * columns) + (n * positions), positions), b, to.Slice((n * Output.Size) + (f * positions), positions));
            }
        }

        LastInput = x;
        LastOutput = u;
        return u;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        NDArray<T> delta = ParameterGradients(outputGradient);
        // ∂L/∂col = W·δ', then back onto the pixels the taps came from
        int batch = outputGradient.Rows, columns = batch * Output.Height * Output.Width;
        NDArray<T> dcol = _columns.Get(Taps, columns);
        Gemm.Multiply<T>(Weights.Value.AsSpan(), delta.AsSpan(), dcol.AsSpan(), m: Taps, n: columns, k: Filters);
        NDArray<T> dx = _inputGradients.Get(batch, Input.Size);
        Im2Col.Backward<T>(dcol.AsSpan(), dx.AsSpan(), batch, Input.Channels, Input.Height, Input.Width, KernelHeight, KernelWidth, Stride, Padding);
        return dx;
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient) => ParameterGradients(outputGradient);

    /// <summary>∂L/∂W = col·δ'ᵀ and ∂L/∂b = Σ δ from δ = ∂L/∂u; returns δ' = δ as <c>[F, N·P]</c> (in the products' buffer).</summary>
    private NDArray<T> ParameterGradients(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"Conv2D layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, Output.Size))
        {
            throw new ShapeMismatchException($"Conv2D layer '{Name}' backward expects δ [{x.Rows}, {Output.Size}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        int batch = x.Rows, positions = Output.Height * Output.Width, columns = batch * positions;
        // the forward pass's columns are still in their buffer: Backward overwrites them only after this
        NDArray<T> col = _columns.Get(Taps, columns);
        NDArray<T> delta = _products.Get(Filters, columns);
        ReadOnlySpan<T> from = outputGradient.AsSpan();
        Span<T> to = delta.AsSpan(), db = Bias.Gradient.AsSpan();
        for (int f = 0; f < Filters; f++)
        {
            T sum = T.Zero;
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<T> run = from.Slice((n * Output.Size) + (f * positions), positions);
                run.CopyTo(to.Slice((f * columns) + (n * positions), positions));
                sum += System.Numerics.Tensors.TensorPrimitives.Sum(run);
            }

            db[f] = sum;
        }

        // ∂L/∂W [K, F] = col [K, N·P] · δ'ᵀ
        Gemm.Multiply<T>(col.AsSpan(), delta.AsSpan(), Weights.Gradient.AsSpan(), m: Taps, n: Filters, k: columns, transposeB: true);
        return delta;
    }

    /// <inheritdoc />
    public long WorkingValues(int batch)
    {
        // im2col's columns and the product [F, N·P], the output, the input's gradient, and the copy of δ'ᵀ the plain
        // matrix product makes for ∂W where the packed one does not apply (fewer filters than a vector)
        long positions = (long)batch * Output.Height * Output.Width;
        return (positions * (Taps + (3L * Filters))) + ((long)batch * Input.Size);
    }

    /// <inheritdoc />
    public override string ToString() => $"Conv2D '{Name}' {Input} → {Output} ({KernelHeight}×{KernelWidth}, stride {Stride}, padding {Padding})";
}
