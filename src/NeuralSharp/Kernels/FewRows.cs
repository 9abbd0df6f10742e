using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Kernels;

/// <summary>
/// The path of <see cref="Gemm"/> for one to three rows of A without Bᵀ — a single sample's inference, a
/// matrix-vector product that reads every weight once: <c>C[i, j:j+16V] += Σ_p A[i, p] · B[p, j:j+16V]</c>, up to
/// sixteen vectors of C held in registers while the loop runs down the rows of B, so C is read and written once.
/// Memory bound (one load per multiply-add; B's rows should start on cache-line boundaries, as
/// <see cref="Tensor{T}"/>'s large buffers do), so a product of at least <see cref="ParallelThreshold"/>
/// multiply-adds splits the shared dimension with the GEMM helper thread: each core reads its own contiguous half of
/// B's rows, the helper's partial sums go to a scratch row, and the caller adds them.
/// </summary>
internal static unsafe partial class FewRows
{
    /// <summary>Products with fewer multiply-adds than this run on one thread.</summary>
    private const int ParallelThreshold = 96 * 1024;

    /// <summary>True when this path applies: few rows or fewer columns than a vector, B not transposed, and 512-bit vectors.</summary>
    public static bool Applies<T>(int m, int n, bool transposeB)
        where T : unmanaged => (m < 4 || n < Vector512<T>.Count) && !transposeB && Vector512.IsHardwareAccelerated;

    /// <summary><c>C += op(A)·B</c> where <see cref="Applies{T}"/> (C already cleared when not accumulating).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ars = transposeA ? 1 : k, acs = transposeA ? m : 1;
        fixed (T* pa = a, pb = b, pc = c)
        {
            if ((long)m * n * k >= ParallelThreshold && Gemm.MaxThreads >= 2 && k >= 2)
            {
                // the helper's half of the sum goes to a scratch block of C's size, cleared first
                int middle = k / 2;
                T* pp = AlignedArray<T>.Reuse(ref Scratch<T>.Partial, m * n);
                var partial = new Span<T>(pp, m * n);
                partial.Clear();
                Halves<T> work = Halves<T>.Instance ??= new Halves<T>();
                work.First = new Job<T>(pa, pb, pc, m, n, middle, ars, acs);
                work.Second = new Job<T>(pa + (middle * (long)acs), pb + (middle * (long)n), pp, m, n, k - middle, ars, acs);
                if (GemmWorker.TryRunInParallel(work))
                {
                    Span<T> sum = c[..(m * n)];
                    System.Numerics.Tensors.TensorPrimitives.Add(sum, partial, sum);
                    return;
                }
            }

            new Job<T>(pa, pb, pc, m, n, k, ars, acs).Columns(0, n);
        }
    }

    /// <summary>The helper's partial sums, a buffer per thread (the caller's), reused.</summary>
    private static class Scratch<T>
        where T : unmanaged
    {
        [ThreadStatic]
        public static AlignedArray<T>? Partial;
    }

    /// <summary>The reusable work item: share 0 sums the first half of the shared dimension into C, share 1 the rest into scratch.</summary>
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
                // many rows of a narrow product (a batch through an output layer of ten): eight rows at a time
                for (; i + 8 <= m; i += 8)
                {
                    NarrowEightRows(i, start, end);
                }
            }

            for (; i < m; i++)
            {
                T* aRow = a + (i * (long)ars);
                T* cRow = c + (i * (long)n);
                if (end - start < v)
                {
                    Narrow(i, start, end);
                    continue;
                }

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
        /// Fewer columns than a vector holds (an output layer of ten): whole vectors from each row of B, of which the
        /// lanes past the last column (the next row's values) are computed and dropped.
        /// </summary>
        private void Narrow(int i, int start, int end)
        {
            T* aRow = a + (i * (long)ars);
            int safeRows = WholeVectorRows(start);
            Vector512<T> sum = Vector512<T>.Zero;
            T* row = b + start;
            for (int p = 0; p < safeRows; p++)
            {
                sum = Fma(A(aRow, p), Vector512.Load(row), sum);
                row += n;
            }

            for (int p = safeRows; p < k; p++)
            {
                sum = Fma(A(aRow, p), LastRow(p, start, end), sum);
            }

            AddNarrow(i, sum, start, end);
        }

        /// <summary>The rows of B from which a whole vector starting at column <paramref name="start"/> stays inside B.</summary>
        private int WholeVectorRows(int start)
        {
            long lastStart = ((long)k * n) - start - Vector512<T>.Count; // the last offset a whole vector may start at
            return lastStart < 0 ? 0 : (int)Math.Min(k, (lastStart / n) + 1);
        }

        /// <summary>B[p, start..end] as a vector with zeros after it: one of B's last rows, where a whole vector would read past B.</summary>
        private Vector512<T> LastRow(int p, int start, int end)
        {
            Span<T> padded = stackalloc T[Vector512<T>.Count];
            padded.Clear();
            new ReadOnlySpan<T>(b + (p * (long)n) + start, end - start).CopyTo(padded);
            return Vector512.Create<T>(padded);
        }

        /// <summary>
        /// C[i, start..end] += the first lanes of <paramref name="sum"/>: by one whole vector whose lanes past the end
        /// add zero to the numbers after the row (this thread's own C, written in row order), except where the vector
        /// would pass the end of C.
        /// </summary>
        private void AddNarrow(int i, Vector512<T> sum, int start, int end)
        {
            int width = end - start;
            T* cRow = c + (i * (long)n);
            if ((i * (long)n) + start + Vector512<T>.Count > (long)m * n)
            {
                for (int j = 0; j < width; j++)
                {
                    cRow[start + j] += sum[j];
                }

                return;
            }

            Vector512<T> kept = Vector512.ConditionalSelect(Vector512.LessThan(LaneIndices, Vector512.Create(T.CreateTruncating(width))), sum, Vector512<T>.Zero);
            (Vector512.Load(cRow + start) + kept).Store(cRow + start);
        }

        /// <summary>0, 1, 2, … in the lanes.</summary>
        private static Vector512<T> LaneIndices
        {
            get
            {
                Span<T> lanes = stackalloc T[Vector512<T>.Count];
                for (int lane = 0; lane < lanes.Length; lane++)
                {
                    lanes[lane] = T.CreateTruncating(lane);
                }

                return Vector512.Create<T>(lanes);
            }
        }

        /// <summary>
        /// <see cref="Narrow"/> for eight rows of A at once: each vector of B feeds eight independent sums, so the
        /// multiply-adds overlap instead of waiting on one chain.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void NarrowEightRows(int i, int start, int end)
        {
            int v = Vector512<T>.Count, safeRows = WholeVectorRows(start);
            // B's last rows, where a whole vector would read past B, copied with zeros after them first (a call in
            // the loops below would push the eight sums out of their registers)
            T* tail = stackalloc T[(v + 2) * v]; // then the eight sums
            for (int p = safeRows; p < k; p++)
            {
                LastRow(p, start, end).Store(tail + ((p - safeRows) * v));
            }

            long rs = ars, cs = acs;
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (int part = 0; part < 2; part++)
            {
                T* row = part == 0 ? b + start : tail;
                long step = part == 0 ? n : v;
                int first = part == 0 ? 0 : safeRows, last = part == 0 ? safeRows : k;
                T* column = a + (i * rs) + (first * cs);
                for (int p = first; p < last; p++)
                {
                    Vector512<T> bRow = Vector512.Load(row);
                    s0 = Fma(Vector512.Create(column[0]), bRow, s0);
                    s1 = Fma(Vector512.Create(column[rs]), bRow, s1);
                    s2 = Fma(Vector512.Create(column[2 * rs]), bRow, s2);
                    s3 = Fma(Vector512.Create(column[3 * rs]), bRow, s3);
                    s4 = Fma(Vector512.Create(column[4 * rs]), bRow, s4);
                    s5 = Fma(Vector512.Create(column[5 * rs]), bRow, s5);
                    s6 = Fma(Vector512.Create(column[6 * rs]), bRow, s6);
                    s7 = Fma(Vector512.Create(column[7 * rs]), bRow, s7);
                    row += step;
                    column += cs;
                }
            }

            // parked before the calls below (a sum live across a call is kept in memory all through the loops), then
            // added in row order: each row's whole vector adds zero past its end before the next row adds its sums there
            T* sums = tail;
            s0.Store(sums);
            s1.Store(sums + v);
            s2.Store(sums + (2 * v));
            s3.Store(sums + (3 * v));
            s4.Store(sums + (4 * v));
            s5.Store(sums + (5 * v));
            s6.Store(sums + (6 * v));
            s7.Store(sums + (7 * v));
            for (int r = 0; r < 8; r++)
            {
                AddNarrow(i + r, Vector512.Load(sums + (r * v)), start, end);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z) => Fused.MultiplyAdd(x, y, z);
    }
}
