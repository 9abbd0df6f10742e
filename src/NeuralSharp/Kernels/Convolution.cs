using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Kernels;

/// <summary>The sizes of a convolution: images <c>[C, H, W]</c>, F filters of KH×KW, stride S, zero padding P.</summary>
public readonly record struct ConvolutionShape(int Channels, int Height, int Width, int Filters, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    /// <summary>Output rows OH.</summary>
    public int OutputHeight => Im2Col.OutputSize(Height, KernelHeight, Stride, Padding);

    /// <summary>Output columns OW.</summary>
    public int OutputWidth => Im2Col.OutputSize(Width, KernelWidth, Stride, Padding);

    /// <summary>Output positions of one feature map, OH·OW.</summary>
    public int Positions => OutputHeight * OutputWidth;

    /// <summary>The taps of one filter, C·KH·KW.</summary>
    public int Taps => Channels * KernelHeight * KernelWidth;

    /// <summary>Values of one input image, C·H·W.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values of one output, F·OH·OW.</summary>
    public int OutputSize => Filters * Positions;
}

/// <summary>
/// A convolution's passes one sample at a time (Deep Learning from Scratch §7.4's im2col, per image), with W stored
/// <c>[K, F]</c> (K = C·KH·KW taps, P = OH·OW positions):
/// <code>
/// col_n = im2col(x_n)                  [K, P]
/// u_n   = Wᵀ·col_n + b                 [F, P]       forward
/// ∂L/∂W = Σ_n col_n·δ_nᵀ,  ∂L/∂b = Σ_n Σ_p δ_n      ∂L/∂x_n = col2im(W·δ_n)      backward
/// </code>
/// </summary>
/// <remarks>
/// One sample at a time, rather than one product over the whole batch's columns: a sample's columns (K·P values, 58 KB
/// for a 28×28 image and a 5×5 kernel) are still in cache when the product reads them, u_n is written straight into
/// the output's <c>[N, F, OH, OW]</c> order (the batch-wide product [F, N·P] needed a pass to reorder it), δ_n is read
/// where it lies (the batch-wide ∂W needed δ copied into [F, N·P]), and ∂W's shared dimension is P rather than N·P —
/// a product the packed kernel runs well. The batch is cut in two halves, run by two threads or one after the other
/// on one; each half sums its own ∂W and ∂b, added at the end, so the gradients are the same to the bit on one thread
/// and on two.
/// </remarks>
public static unsafe class Convolution
{
    /// <summary>Below this many multiply-adds a batch runs on one thread (the meeting costs a few µs).</summary>
    private const long ParallelThreshold = 1_000_000;

    /// <summary>Fills <paramref name="col"/> (the batch's columns, <c>[N, K, P]</c>, kept for the backward pass) and <paramref name="u"/> <c>[N, F, OH, OW]</c>.</summary>
    public static void Forward<T>(ConvolutionShape shape, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> col, Span<T> u)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(shape, batch, x.Length, weights.Length, bias.Length, col.Length, u.Length);
        fixed (T* px = x, pw = weights, pb = bias, pcol = col, pu = u)
        {
            Work<T> work = Work<T>.Instance ??= new Work<T>();
            work.Set(shape, batch, backward: false, pw, pcol);
            work.X = px;
            work.B = pb;
            work.U = pu;
            Run(work);
        }
    }

    /// <summary>
    /// From δ = ∂L/∂u <c>[N, F, OH, OW]</c> and the forward pass's <paramref name="col"/>: ∂L/∂W <c>[K, F]</c> and
    /// ∂L/∂b <c>[F]</c> (overwritten), and ∂L/∂x <c>[N, C, H, W]</c> when <paramref name="dx"/> is not empty.
    /// </summary>
    public static void Backward<T>(ConvolutionShape shape, int batch, ReadOnlySpan<T> col, ReadOnlySpan<T> delta, ReadOnlySpan<T> weights, Span<T> dw, Span<T> db, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(shape, batch, dx.IsEmpty ? (long)batch * shape.InputSize : dx.Length, weights.Length, db.Length, col.Length, delta.Length);
        int taps = shape.Taps, filters = shape.Filters, positions = shape.Positions;
        if (dw.Length < taps * filters)
        {
            throw new ArgumentException($"∂W has {dw.Length} values; [{taps}, {filters}] needs {taps * filters}.", nameof(dw));
        }

        fixed (T* pcol = col, pdelta = delta, pw = weights, pdw = dw, pdb = db, pdx = dx)
        {
            Work<T> work = Work<T>.Instance ??= new Work<T>();
            work.Set(shape, batch, backward: true, pw, pcol);
            work.Delta = pdelta;
            work.DW = pdw;
            work.DB = pdb;
            work.DX = dx.IsEmpty ? null : pdx;
            // the second half's sums, and a sample's ∂L/∂col for each half
            work.PartialDW = AlignedArray<T>.Reuse(ref Scratch<T>.PartialDW, (taps * filters) + filters);
            work.PartialDB = work.PartialDW + (taps * filters);
            if (!dx.IsEmpty)
            {
                work.DCol0 = AlignedArray<T>.Reuse(ref Scratch<T>.DCol0, taps * positions);
                work.DCol1 = AlignedArray<T>.Reuse(ref Scratch<T>.DCol1, taps * positions);
            }

            Run(work);
            TensorPrimitives.Add(dw[..(taps * filters)], new ReadOnlySpan<T>(work.PartialDW, taps * filters), dw);
            TensorPrimitives.Add(db[..filters], new ReadOnlySpan<T>(work.PartialDB, filters), db);
        }
    }

    /// <summary>The working values <see cref="Backward{T}"/> keeps besides its arguments: the second half's ∂W and ∂b, two samples' ∂L/∂col.</summary>
    public static long ScratchValues(ConvolutionShape shape) => ((long)shape.Taps * shape.Filters) + shape.Filters + (2L * shape.Taps * shape.Positions);

    private static void Run<T>(Work<T> work)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ConvolutionShape shape = work.Shape;
        long size = (long)work.Batch * shape.Taps * shape.Filters * shape.Positions;
        if (work.Batch < 2 || size < ParallelThreshold || Parallelism.Threads < 2 || !GemmWorker.TryRunInParallel(work))
        {
            work.Run(0);
            work.Run(1);
        }
    }

    private static void Check(ConvolutionShape shape, int batch, long inputs, int weights, int biases, int columns, int outputs)
    {
        long taps = shape.Taps, positions = shape.Positions;
        if (batch < 0 || inputs < batch * (long)shape.InputSize || weights < taps * shape.Filters || biases < shape.Filters
            || columns < batch * taps * positions || outputs < batch * (long)shape.OutputSize)
        {
            throw new ArgumentException($"Spans too short for a batch of {batch} through {shape}.");
        }
    }

    private static class Scratch<T>
        where T : unmanaged
    {
        [ThreadStatic]
        public static AlignedArray<T>? PartialDW;

        [ThreadStatic]
        public static AlignedArray<T>? DCol0;

        [ThreadStatic]
        public static AlignedArray<T>? DCol1;
    }

    /// <summary>One pass over half of the batch: samples [0, N/2) as share 0, [N/2, N) as share 1.</summary>
    private sealed class Work<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static Work<T>? Instance;

        public ConvolutionShape Shape;
        public int Batch;
        public bool IsBackward;
        public T* X, W, B, Col, U, Delta, DW, DB, DX, PartialDW, PartialDB, DCol0, DCol1;

        /// <summary>A pass's sizes and the operands both directions read (W and the columns); the others are cleared.</summary>
        public void Set(ConvolutionShape shape, int batch, bool backward, T* weights, T* columns)
        {
            (Shape, Batch, IsBackward) = (shape, batch, backward);
            X = B = U = Delta = DW = DB = DX = PartialDW = PartialDB = DCol0 = DCol1 = null;
            W = weights;
            Col = columns;
        }

        public void Run(int share)
        {
            int middle = Batch / 2, first = share == 0 ? 0 : middle, end = share == 0 ? middle : Batch;
            if (IsBackward)
            {
                Backward(first, end, share == 0 ? DW : PartialDW, share == 0 ? DB : PartialDB, share == 0 ? DCol0 : DCol1);
            }
            else
            {
                Forward(first, end);
            }
        }

        private void Forward(int first, int end)
        {
            ConvolutionShape s = Shape;
            int taps = s.Taps, filters = s.Filters, positions = s.Positions, columns = taps * positions;
            var weights = new ReadOnlySpan<T>(W, taps * filters);
            for (int n = first; n < end; n++)
            {
                var col = new Span<T>(Col + ((long)n * columns), columns);
                var u = new Span<T>(U + ((long)n * s.OutputSize), s.OutputSize);
                Im2Col.Forward<T>(new ReadOnlySpan<T>(X + ((long)n * s.InputSize), s.InputSize), col, 1, s.Channels, s.Height, s.Width, s.KernelHeight, s.KernelWidth, s.Stride, s.Padding);
                // u_n [F, P] = Wᵀ·col_n, then + b[f] on each map while it is in cache
                Gemm.Multiply<T>(weights, col, u, m: filters, n: positions, k: taps, transposeA: true);
                for (int f = 0; f < filters; f++)
                {
                    Span<T> map = u.Slice(f * positions, positions);
                    TensorPrimitives.Add(map, B[f], map);
                }
            }
        }

        private void Backward(int first, int end, T* dw, T* db, T* dcol)
        {
            ConvolutionShape s = Shape;
            int taps = s.Taps, filters = s.Filters, positions = s.Positions, columns = taps * positions;
            var gradient = new Span<T>(dw, taps * filters);
            var biasGradient = new Span<T>(db, filters);
            gradient.Clear();
            biasGradient.Clear();
            var weights = new ReadOnlySpan<T>(W, taps * filters);
            for (int n = first; n < end; n++)
            {
                var col = new ReadOnlySpan<T>(Col + ((long)n * columns), columns);
                var delta = new ReadOnlySpan<T>(Delta + ((long)n * s.OutputSize), s.OutputSize);
                // ∂W [K, F] += col_n [K, P] · δ_nᵀ (δ_n stored [F, P])
                Gemm.Multiply<T>(col, delta, gradient, m: taps, n: filters, k: positions, transposeB: true, accumulate: true);
                for (int f = 0; f < filters; f++)
                {
                    biasGradient[f] += TensorPrimitives.Sum(delta.Slice(f * positions, positions));
                }

                if (DX is not null)
                {
                    // ∂L/∂col_n = W [K, F] · δ_n [F, P], back onto the pixels its taps came from
                    var dc = new Span<T>(dcol, columns);
                    Gemm.Multiply<T>(weights, delta, dc, m: taps, n: positions, k: filters);
                    Im2Col.Backward<T>(dc, new Span<T>(DX + ((long)n * s.InputSize), s.InputSize), 1, s.Channels, s.Height, s.Width, s.KernelHeight, s.KernelWidth, s.Stride, s.Padding);
                }
            }
        }
    }
}
