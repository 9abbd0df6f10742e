using System.Numerics;

namespace NeuralSharp.Kernels;

/// <summary>
/// The course's <c>im2col</c> and <c>col2im</c> (Deep Learning from Scratch §7.4), in the layout that lets one matrix
/// product convolve a whole batch: <c>col [K, N·P]</c> with one row per filter tap <c>r = (c·KH + i)·KW + j</c>
/// (K = C·KH·KW) and one column per sample and output position <c>n·P + oy·OW + ox</c> (P = OH·OW), holding
/// <c>x[n, c, oy·S + i − pad, ox·S + j − pad]</c> (0 outside the image). Images are row-major <c>[N, C, H, W]</c>.
/// </summary>
public static class Im2Col
{
    /// <summary>The output side for an input side, a kernel side, a stride and a padding: ⌊(in + 2·pad − kernel) / stride⌋ + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int padding) => ((input + (2 * padding) - kernel) / stride) + 1;

    /// <summary>Fills <paramref name="col"/> <c>[C·KH·KW, N·OH·OW]</c> from the images <paramref name="x"/>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> col, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(x, col, batch, channels, height, width, kernelHeight, kernelWidth, stride, padding, backward: false);

    /// <summary>
    /// The adjoint of <see cref="Forward{T}"/>: <paramref name="dx"/> (cleared first) receives the sum of every column
    /// entry over the image pixel it was taken from — <c>∂L/∂x</c> from <c>∂L/∂col</c>.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dcol, Span<T> dx, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dx[..(batch * channels * height * width)].Clear();
        Run(dx, MemoryMarshalSpan(dcol), batch, channels, height, width, kernelHeight, kernelWidth, stride, padding, backward: true);
    }

    // one loop nest for both directions: forward copies image → column, backward adds column → image
    private static void Run<T>(ReadOnlySpan<T> image, Span<T> col, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding, bool backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outHeight = OutputSize(height, kernelHeight, stride, padding), outWidth = OutputSize(width, kernelWidth, stride, padding);
        int positions = outHeight * outWidth, columns = batch * positions;
        Span<T> writable = backward ? MemoryMarshalSpan(image) : default;
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < kernelHeight; i++)
            {
                for (int j = 0; j < kernelWidth; j++)
                {
                    Span<T> row = col.Slice((((c * kernelHeight) + i) * kernelWidth + j) * columns, columns);
                    // the output columns ox whose tap x = ox·S + j − pad lies inside the image
                    int first = Math.Max(0, (padding - j + stride - 1) / stride);
                    int last = Math.Min(outWidth - 1, (width - 1 + padding - j) / stride);
                    for (int n = 0; n < batch; n++)
                    {
                        int plane = ((n * channels) + c) * height * width;
                        for (int oy = 0; oy < outHeight; oy++)
                        {
                            int y = (oy * stride) + i - padding;
                            Span<T> target = row.Slice((n * positions) + (oy * outWidth), outWidth);
                            if (y < 0 || y >= height || first > last)
                            {
                                if (!backward)
                                {
                                    target.Clear();
                                }

                                continue;
                            }

                            int source = plane + (y * width) + (first * stride) + j - padding;
                            if (!backward)
                            {
                                target[..first].Clear();
                                target[(last + 1)..].Clear();
                            }

                            if (stride == 1)
                            {
                                int count = last - first + 1;
                                if (backward)
                                {
                                    System.Numerics.Tensors.TensorPrimitives.Add(writable.Slice(source, count), target.Slice(first, count), writable.Slice(source, count));
                                }
                                else
                                {
                                    image.Slice(source, count).CopyTo(target.Slice(first, count));
                                }

                                continue;
                            }

                            for (int ox = first; ox <= last; ox++, source += stride)
                            {
                                if (backward)
                                {
                                    writable[source] += target[ox];
                                }
                                else
                                {
                                    target[ox] = image[source];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The same memory as a writable span: Run reads one side and writes the other, by direction.</summary>
    private static Span<T> MemoryMarshalSpan<T>(ReadOnlySpan<T> span) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), span.Length);
}
