using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Kernels;

/// <summary>
/// The large-matrix path of <see cref="Gemm"/> (Goto and van de Geijn's blocking): B is packed into KC×NR slivers that
/// stay in L1, A into MC×KC blocks of MR-row slivers that stay in L2, and a 6 × 2-vector register-blocked
/// micro-kernel on <see cref="Vector512{T}"/> runs fused multiply-adds over the packed panels. Transposes are folded
/// into the packing. Row blocks are shared with one helper thread (<see cref="GemmWorker"/>) when the product is large
/// and <see cref="Gemm.MaxThreads"/> allows two. Packing buffers are per thread and reused: a warm call allocates nothing.
/// </summary>
internal static unsafe class PackedGemm
{
    private const int MR = 6;
    private const int KC = 256;
    private const int MC = 144;
    private const int NC = 3072;

    /// <summary>Products with fewer multiply-adds than this run on one thread.</summary>
    private const long ParallelThreshold = 4_000_000;

    /// <summary>True when this path pays: AVX-512 is there and the matrices are not tiny.</summary>
    public static bool Applies(int m, int n, int k) => Vector512.IsHardwareAccelerated && m >= MR && n >= 16 && k >= 16 && (long)m * n * k >= 32_768;

    /// <summary><c>C += op(A)·op(B)</c> (C already cleared when not accumulating).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = 2 * Vector512<T>.Count;
        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new Job<T>(pa, pb, pc, m, n, transposeA ? 1 : k, transposeA ? m : 1, transposeB ? 1 : n, transposeB ? k : 1, nr);
            int rowBlocks = (m + MC - 1) / MC;
            int threads = (long)m * n * k >= ParallelThreshold ? Math.Min(Math.Min(Gemm.MaxThreads, 2), rowBlocks) : 1;
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                for (int p0 = 0; p0 < k; p0 += KC)
                {
                    int kc = Math.Min(KC, k - p0);
                    T[] packedB = Buffers<T>.B(kc * RoundUp(nc, nr));
                    job.PackB(packedB, p0, kc, jc, nc);
                    if (threads <= 1)
                    {
                        for (int block = 0; block < rowBlocks; block++)
                        {
                            job.RowBlock(block * MC, packedB, p0, kc, jc, nc);
                        }
                    }
                    else
                    {
                        InParallel(job, rowBlocks, packedB, p0, kc, jc, nc);
                    }
                }
            }
        }
    }

    /// <summary>Row blocks dealt alternately to this thread and the GEMM helper thread (or all here if it is busy).</summary>
    private static void InParallel<T>(Job<T> job, int rowBlocks, T[] packedB, int p0, int kc, int jc, int nc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RowBlocks<T> work = RowBlocks<T>.Instance ??= new RowBlocks<T>();
        work.Set(job, rowBlocks, packedB, p0, kc, jc, nc);
        if (!GemmWorker.TryRunInParallel(work))
        {
            work.Run(0);
            work.Run(1);
        }
    }

    /// <summary>The reusable work item: every other row block, starting at the share's number.</summary>
    private sealed class RowBlocks<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static RowBlocks<T>? Instance;

        private Job<T> _job;
        private int _rowBlocks, _p0, _kc, _jc, _nc;
        private T[] _packedB = [];

        public void Set(Job<T> job, int rowBlocks, T[] packedB, int p0, int kc, int jc, int nc) =>
            (_job, _rowBlocks, _packedB, _p0, _kc, _jc, _nc) = (job, rowBlocks, packedB, p0, kc, jc, nc);

        public void Run(int share)
        {
            for (int block = share; block < _rowBlocks; block += 2)
            {
                _job.RowBlock(block * MC, _packedB, _p0, _kc, _jc, _nc);
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Per-thread packing buffers, grown when needed and then reused.</summary>
    private static class Buffers<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static T[]? t_a;

        [ThreadStatic]
        private static T[]? t_b;

        public static T[] A(int length) => t_a is { } buffer && buffer.Length >= length ? buffer : t_a = new T[length];

        // the calling thread packs B and shares it with its workers for the duration of one product
        public static T[] B(int length) => t_b is { } buffer && buffer.Length >= length ? buffer : t_b = new T[length];
    }

    /// <summary>One product's operands and strides: A(i, p) = a[i·ars + p·acs], B(p, j) = b[p·brs + j·bcs].</summary>
    private readonly struct Job<T>(T* a, T* b, T* c, int m, int n, int ars, int acs, int brs, int bcs, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void PackB(T[] packed, int p0, int kc, int jc, int nc)
        {
            int index = 0;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int width = Math.Min(nr, nc - jr);
                for (int p = 0; p < kc; p++)
                {
                    T* row = b + ((p0 + p) * (long)brs) + ((jc + jr) * (long)bcs);
                    for (int j = 0; j < nr; j++)
                    {
                        packed[index++] = j < width ? row[j * (long)bcs] : T.Zero;
                    }
                }
            }
        }

        public void RowBlock(int i0, T[] packedB, int p0, int kc, int jc, int nc)
        {
            int mc = Math.Min(MC, m - i0);
            T[] packedA = Buffers<T>.A(kc * RoundUp(mc, MR));
            PackA(packedA, i0, mc, p0, kc);
            Span<T> edge = stackalloc T[MR * 2 * Vector512<T>.Count];
            fixed (T* pa = packedA, pb = packedB, pe = edge)
            {
                for (int jr = 0; jr < nc; jr += nr)
                {
                    int width = Math.Min(nr, nc - jr);
                    for (int ir = 0; ir < mc; ir += MR)
                    {
                        int height = Math.Min(MR, mc - ir);
                        T* cTile = c + ((i0 + ir) * (long)n) + jc + jr;
                        if (height == MR && width == nr)
                        {
                            Kernel(kc, pa + (ir * kc), pb + (jr * kc), cTile, n);
                        }
                        else
                        {
                            // a partial tile: compute the full tile into a scratch block, then add the part that exists
                            new Span<T>(pe, MR * nr).Clear();
                            Kernel(kc, pa + (ir * kc), pb + (jr * kc), pe, nr);
                            for (int r = 0; r < height; r++)
                            {
                                for (int j = 0; j < width; j++)
                                {
                                    cTile[(r * (long)n) + j] += pe[(r * nr) + j];
                                }
                            }
                        }
                    }
                }
            }
        }

        private void PackA(T[] packed, int i0, int mc, int p0, int kc)
        {
            int index = 0;
            for (int ir = 0; ir < mc; ir += MR)
            {
                int height = Math.Min(MR, mc - ir);
                for (int p = 0; p < kc; p++)
                {
                    T* column = a + ((i0 + ir) * (long)ars) + ((p0 + p) * (long)acs);
                    for (int r = 0; r < MR; r++)
                    {
                        packed[index++] = r < height ? column[r * (long)ars] : T.Zero;
                    }
                }
            }
        }

        /// <summary>C[0:6, 0:2V] += Apanel[6, kc] · Bpanel[kc, 2V], the sums held in 12 vector registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Kernel(int kc, T* pa, T* pb, T* pc, int ldc)
        {
            int v = Vector512<T>.Count;
            Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                Vector512<T> b0 = Vector512.Load(pb), b1 = Vector512.Load(pb + v);
                Vector512<T> a0 = Vector512.Create(pa[0]);
                c00 = Fma(a0, b0, c00);
                c01 = Fma(a0, b1, c01);
                Vector512<T> a1 = Vector512.Create(pa[1]);
                c10 = Fma(a1, b0, c10);
                c11 = Fma(a1, b1, c11);
                Vector512<T> a2 = Vector512.Create(pa[2]);
                c20 = Fma(a2, b0, c20);
                c21 = Fma(a2, b1, c21);
                Vector512<T> a3 = Vector512.Create(pa[3]);
                c30 = Fma(a3, b0, c30);
                c31 = Fma(a3, b1, c31);
                Vector512<T> a4 = Vector512.Create(pa[4]);
                c40 = Fma(a4, b0, c40);
                c41 = Fma(a4, b1, c41);
                Vector512<T> a5 = Vector512.Create(pa[5]);
                c50 = Fma(a5, b0, c50);
                c51 = Fma(a5, b1, c51);
                pa += MR;
                pb += 2 * v;
            }

            Add(pc, c00, c01, v);
            Add(pc + ldc, c10, c11, v);
            Add(pc + (2 * ldc), c20, c21, v);
            Add(pc + (3 * ldc), c30, c31, v);
            Add(pc + (4 * ldc), c40, c41, v);
            Add(pc + (5 * ldc), c50, c51, v);
        }

        /// <summary><c>a·b + c</c> in one rounding (the JIT keeps only the branch for T).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add(T* row, Vector512<T> low, Vector512<T> high, int v)
        {
            (Vector512.Load(row) + low).Store(row);
            (Vector512.Load(row + v) + high).Store(row + v);
        }
    }
}
