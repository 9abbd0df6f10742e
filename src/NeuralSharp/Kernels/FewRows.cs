using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralSharp.Kernels;

/// <summary>
/// The path of <see cref="Gemm"/> for one to three rows of A without Bᵀ — a single sample's inference, a
/// matrix-vector product that reads every weight once: <c>C[i, j:j+16V] += Σ_p A[i, p] · B[p, j:j+16V]</c>, up to
/// sixteen vectors of C held in registers while the loop runs down the rows of B, so C is read and written once.
/// Memory bound (one load per multiply-add; B's rows should start on cache-line boundaries, as
/// <see cref="NDArray{T}"/>'s large buffers do), so a product of at least <see cref="ParallelThreshold"/>
/// multiply-adds splits the shared dimension with the GEMM helper thread: each core reads its own contiguous half of
/// B's rows, the helper's partial sums go to a scratch row, and the caller adds them. A narrow product of many rows
/// splits its rows instead.
/// </summary>
internal static unsafe partial class FewRows
{
    /// <summary>Products with fewer multiply-adds than this run on one thread.</summary>
    private const int ParallelThreshold = 96 * 1024;

    /// <summary>True when this path applies: few rows or fewer columns than a vector, B not transposed, and 512-bit vectors.</summary>
    public static bool Applies<T>(int m, int n, bool transposeB)
        where T : unmanaged => (m < 4 || n < Vector512<T>.Count) && !transposeB && Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary><c>C += op(A)·B</c> where <see cref="Applies{T}"/> (C already cleared when not accumulating).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ars = transposeA ? 1 : k, acs = transposeA ? m : 1;
        fixed (T* pa = a, pb = b, pc = c)
        {
            if ((long)m * n * k < ParallelThreshold || k < 2)
            {
                new Job<T>(pa, pb, pc, m, n, k, ars, acs).Columns(0, n);
                return;
            }

            // How the work is halved depends on the product's size alone, never on the thread count or on whether the
            // helper is free: one thread runs the same halves one after the other, so a prediction is the same to the
            // bit on one thread and on two.
            Halves<T> work = Halves<T>.Instance ??= new Halves<T>();
            T* pp = null;
            if (m >= 16)
            {
                // many rows through a narrow output: halves of the rows, at a multiple of eight (each row keeps its kernel)
                int middle = m / 16 * 8;
                work.First = new Job<T>(pa, pb, pc, middle, n, k, ars, acs);
                work.Second = new Job<T>(pa + (middle * (long)ars), pb, pc + (middle * (long)n), m - middle, n, k, ars, acs);
            }
            else
            {
                // a few rows, memory bound: halves of the shared dimension, the second half's sums to a scratch block
                int middle = k / 2;
                pp = AlignedArray<T>.Reuse(ref Scratch<T>.Partial, m * n);
                new Span<T>(pp, m * n).Clear();
                work.First = new Job<T>(pa, pb, pc, m, n, middle, ars, acs);
                work.Second = new Job<T>(pa + (middle * (long)acs), pb + (middle * (long)n), pp, m, n, k - middle, ars, acs);
            }

            if (Parallelism.Threads < 2 || !GemmWorker.TryRunInParallel(work))
            {
                work.Run(0);
                work.Run(1);
            }

            if (pp is not null)
            {
                Span<T> sum = c[..(m * n)];
                System.Numerics.Tensors.TensorPrimitives.Add(sum, new ReadOnlySpan<T>(pp, m * n), sum);
            }
        }
    }

    /// <summary>The helper's partial sums, a buffer per thread (the caller's), reused.</summary>
    private static class Scratch<T>
        where T : unmanaged
    {
        [ThreadStatic]
        public static AlignedArray<T>? Partial;
    }

    /// <summary>The reusable work item: share 0 computes the first half (of the rows, or of the shared dimension into C), share 1 the rest (the rows after, or the other half of the sums into scratch).</summary>
    private sealed class Halves<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static Halves<T>? Instance;

        public Job<T> First { get; set; }

        public Job<T> Second { get; set; }

        public void Run(int share) => (share == 0 ? First : Second).Columns(0, First.N);
    }

    /// <summary>One product: A(i, p) = a[i·ars + p·acs], B row-major [k, n], C row-major [m, n].</summary>
    private readonly partial struct Job<T>(T* a, T* b, T* c, int m, int n, int k, int ars, int acs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int N => n;

        /// <summary>Columns start..end of every row of C.</summary>
        public void Columns(int start, int end)
        {
            int v = Vector512<T>.Count;
            int i = 0;
            if (end - start < v)
            {
                // a narrow product (a batch through an output layer of ten): the lanes holding columns start..end,
                // eight rows at a time
                Vector512<T> lanes = Vector512.LessThan(Masked.LaneIndices<T>(), Vector512.Create(T.CreateTruncating(end - start)));
                for (; i + 8 <= m; i += 8)
                {
                    NarrowEightRows(i, start, lanes);
                }

                for (; i < m; i++)
                {
                    Narrow(i, start, lanes);
                }

                return;
            }

            for (; i < m; i++)
            {
                T* aRow = a + (i * (long)ars);
                T* cRow = c + (i * (long)n);
                int j = start;
                for (; j + (16 * v) <= end; j += 16 * v)
                {
                    SixteenVectors(aRow, j, cRow + j);
                }

                for (; j + (8 * v) <= end; j += 8 * v)
                {
                    EightVectors(aRow, j, cRow + j);
                }

                if (j + (4 * v) <= end)
                {
                    FourVectors(aRow, j, cRow + j);
                    j += 4 * v;
                }

                for (; j + v <= end; j += v)
                {
                    AddLanes(cRow + j, OneVector(aRow, j), 0, v);
                }

                if (j < end)
                {
                    // the last columns: the vector ending at the last column, keeping only the lanes not done yet
                    AddLanes(cRow + end - v, OneVector(aRow, end - v), j - (end - v), v);
                }
            }
        }

        /// <summary>A(i, p) broadcast to every lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<T> A(T* aRow, int p) => Vector512.Create(aRow[p * (long)acs]);

        /// <summary>cChunk[lane] += sum[lane] for lanes from..to-1.</summary>
        private static void AddLanes(T* cChunk, Vector512<T> sum, int from, int to)
        {
            if (from == 0 && to == Vector512<T>.Count)
            {
                (Vector512.Load(cChunk) + sum).Store(cChunk);
                return;
            }

            for (int lane = from; lane < to; lane++)
            {
                cChunk[lane] += sum[lane];
            }
        }

        /// <summary>
        /// Fewer columns than a vector holds (an output layer of ten): B's rows and C's row by masked loads and a
        /// masked store, which touch only the lanes of <paramref name="lanes"/> (no reading past B, no tail loops).
        /// </summary>
        private void Narrow(int i, int start, Vector512<T> lanes)
        {
            T* aRow = a + (i * (long)ars), row = b + start;
            Vector512<T> sum = Vector512<T>.Zero;
            for (int p = 0; p < k; p++)
            {
                sum = Fma(A(aRow, p), Masked.Load(row, lanes), sum);
                row += n;
            }

            T* cRow = c + (i * (long)n) + start;
            Masked.Store(cRow, lanes, Masked.Load(cRow, lanes) + sum);
        }

        /// <summary>
        /// <see cref="Narrow"/> for eight rows of A at once: each vector of B feeds eight independent sums, so the
        /// multiply-adds overlap instead of waiting on one chain.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void NarrowEightRows(int i, int start, Vector512<T> lanes)
        {
            long rs = ars, cs = acs;
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            T* row = b + start, column = a + (i * rs);
            for (int p = 0; p < k; p++)
            {
                Vector512<T> bRow = Masked.Load(row, lanes);
                s0 = Fma(Vector512.Create(column[0]), bRow, s0);
                s1 = Fma(Vector512.Create(column[rs]), bRow, s1);
                s2 = Fma(Vector512.Create(column[2 * rs]), bRow, s2);
                s3 = Fma(Vector512.Create(column[3 * rs]), bRow, s3);
                s4 = Fma(Vector512.Create(column[4 * rs]), bRow, s4);
                s5 = Fma(Vector512.Create(column[5 * rs]), bRow, s5);
                s6 = Fma(Vector512.Create(column[6 * rs]), bRow, s6);
                s7 = Fma(Vector512.Create(column[7 * rs]), bRow, s7);
                row += n;
                column += cs;
            }

            T* cRow = c + (i * (long)n) + start;
            Masked.Store(cRow, lanes, Masked.Load(cRow, lanes) + s0);
            Masked.Store(cRow + n, lanes, Masked.Load(cRow + n, lanes) + s1);
            Masked.Store(cRow + (2 * (long)n), lanes, Masked.Load(cRow + (2 * (long)n), lanes) + s2);
            Masked.Store(cRow + (3 * (long)n), lanes, Masked.Load(cRow + (3 * (long)n), lanes) + s3);
            Masked.Store(cRow + (4 * (long)n), lanes, Masked.Load(cRow + (4 * (long)n), lanes) + s4);
            Masked.Store(cRow + (5 * (long)n), lanes, Masked.Load(cRow + (5 * (long)n), lanes) + s5);
            Masked.Store(cRow + (6 * (long)n), lanes, Masked.Load(cRow + (6 * (long)n), lanes) + s6);
            Masked.Store(cRow + (7 * (long)n), lanes, Masked.Load(cRow + (7 * (long)n), lanes) + s7);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z) => Fused.MultiplyAdd(x, y, z);
    }
}
