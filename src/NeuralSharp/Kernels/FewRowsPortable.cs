using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralSharp.Kernels;

/// <summary>
/// <c>C[m, n] += op(A)[m, k] · B[k, n]</c> for one to three rows (a sample's inference) where <see cref="FewRows"/>'
/// AVX-512 kernels are not available: each row of C is computed eight vectors at a time, the eight sums held in
/// registers while the whole shared dimension streams past (<c>C[i, j:j+8V] += A[i, p] · B[p, j:j+8V]</c>), so B is
/// read once and C written once, on <see cref="Vector{T}"/> of whatever width the machine has. On two threads the
/// column blocks are halved between the caller and the GEMM helper.
/// </summary>
internal static unsafe class FewRowsPortable
{
    /// <summary>Multiply-adds below which one thread is faster than a hand-off.</summary>
    private const long ParallelThreshold = 64 * 1024;

    /// <summary>True when this path applies: fewer than four rows, B not transposed, and hardware vectors.</summary>
    public static bool Applies<T>(int m, bool transposeB)
        where T : unmanaged => m is > 0 and < 4 && !transposeB && Vector.IsHardwareAccelerated;

    /// <summary><c>C += op(A)·B</c> where <see cref="Applies{T}"/> (C already cleared when not accumulating).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ars = transposeA ? 1 : k, acs = transposeA ? m : 1;
        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new Job<T>(pa, pb, pc, m, n, k, ars, acs);
            int blocks = (n + Job<T>.BlockWidth - 1) / Job<T>.BlockWidth;
            if ((long)m * n * k >= ParallelThreshold && Parallelism.Threads >= 2 && blocks >= 2)
            {
                Halves<T> work = Halves<T>.Instance ??= new Halves<T>();
                work.Job = job;
                work.Middle = Math.Min((blocks + 1) / 2 * Job<T>.BlockWidth, n);
                if (GemmWorker.TryRunInParallel(work))
                {
                    return;
                }
            }

            job.Columns(0, n);
        }
    }

    /// <summary>The reusable work item: share 0 takes the column blocks before the middle, share 1 the rest.</summary>
    private sealed class Halves<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static Halves<T>? Instance;

        public Job<T> Job { get; set; }

        public int Middle { get; set; }

        public void Run(int share)
        {
            if (share == 0)
            {
                Job.Columns(0, Middle);
            }
            else
            {
                Job.Columns(Middle, Job.N);
            }
        }
    }

    /// <summary>One product's operands: A(i, p) = a[i·ars + p·acs], B row-major [k, n], C row-major [m, n].</summary>
    private readonly struct Job<T>(T* a, T* b, T* c, int m, int n, int k, int ars, int acs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Columns per register block: eight vectors.</summary>
        public static int BlockWidth => 8 * Vector<T>.Count;

        public int N => n;

        /// <summary>Columns from..to of every row of C.</summary>
        public void Columns(int from, int to)
        {
            int v = Vector<T>.Count;
            for (int i = 0; i < m; i++)
            {
                T* aRow = a + (i * (long)ars), cRow = c + (i * (long)n);
                int j = from;
                for (; j + (8 * v) <= to; j += 8 * v)
                {
                    EightVectors(aRow, cRow, j);
                }

                for (; j + v <= to; j += v)
                {
                    Vector<T> sum = Vector.Load(cRow + j);
                    for (int p = 0; p < k; p++)
                    {
                        sum += new Vector<T>(aRow[p * (long)acs]) * Vector.Load(b + (p * (long)n) + j);
                    }

                    sum.Store(cRow + j);
                }

                for (; j < to; j++)
                {
                    T sum = cRow[j];
                    for (int p = 0; p < k; p++)
                    {
                        sum += aRow[p * (long)acs] * b[(p * (long)n) + j];
                    }

                    cRow[j] = sum;
                }
            }
        }

        /// <summary>C[i, j:j+8V] += Σ_p A[i, p]·B[p, j:j+8V], the eight sums in registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EightVectors(T* aRow, T* cRow, int j)
        {
            int v = Vector<T>.Count;
            T* column = cRow + j;
            Vector<T> s0 = Vector.Load(column), s1 = Vector.Load(column + v), s2 = Vector.Load(column + (2 * v)), s3 = Vector.Load(column + (3 * v));
            Vector<T> s4 = Vector.Load(column + (4 * v)), s5 = Vector.Load(column + (5 * v)), s6 = Vector.Load(column + (6 * v)), s7 = Vector.Load(column + (7 * v));
            T* bRow = b + j;
            for (int p = 0; p < k; p++, bRow += n)
            {
                var x = new Vector<T>(aRow[p * (long)acs]);
                s0 = Fused.MultiplyAdd(x, Vector.Load(bRow), s0);
                s1 = Fused.MultiplyAdd(x, Vector.Load(bRow + v), s1);
                s2 = Fused.MultiplyAdd(x, Vector.Load(bRow + (2 * v)), s2);
                s3 = Fused.MultiplyAdd(x, Vector.Load(bRow + (3 * v)), s3);
                s4 = Fused.MultiplyAdd(x, Vector.Load(bRow + (4 * v)), s4);
                s5 = Fused.MultiplyAdd(x, Vector.Load(bRow + (5 * v)), s5);
                s6 = Fused.MultiplyAdd(x, Vector.Load(bRow + (6 * v)), s6);
                s7 = Fused.MultiplyAdd(x, Vector.Load(bRow + (7 * v)), s7);
            }

            s0.Store(column);
            s1.Store(column + v);
            s2.Store(column + (2 * v));
            s3.Store(column + (3 * v));
            s4.Store(column + (4 * v));
            s5.Store(column + (5 * v));
            s6.Store(column + (6 * v));
            s7.Store(column + (7 * v));
        }
    }
}
