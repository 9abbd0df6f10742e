using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Kernels;

/// <summary>
/// The large-matrix path of <see cref="Gemm"/> (Goto and van de Geijn's blocking, loops ordered for a large L2):
/// B is packed into a KC×NC block of NR-wide slivers that stays in L2, A into MR×KC slivers that stay in L1 while
/// the block of B streams past them, and a 6 × 2-vector register-blocked micro-kernel on <see cref="Vector512{T}"/>
/// runs fused multiply-adds over the packed panels. Transposes are folded into the packing. With two threads
/// (<see cref="GemmWorker"/>) each takes half of the row slivers against the shared packed block of B. Packing
/// buffers are per thread and reused: a warm call allocates nothing.
/// </summary>
/// <remarks>
/// Measured on this project's 2-core AVX-512 machine (n = 2048, one thread, same process): ordering the loops so that
/// A's sliver stays in L1 and B's block in L2 gave 139–143 GFLOP/s against 104–110 for the order that keeps B's
/// sliver in L1 (the textbook order for a small L2); 12 × 2-vector kernels and software prefetch were within noise.
/// </remarks>
internal static unsafe class PackedGemm
{
    private const int MR = 6;
    private const int KC = 256;

    /// <summary>Bytes of packed B per block: half of a 2 MB L2 (and all of a 1 MB one).</summary>
    private const int BlockBytes = 1 << 20;

    /// <summary>Products with fewer multiply-adds than this run on one thread.</summary>
    private const long ParallelThreshold = 4_000_000;

    /// <summary>True when this path pays: AVX-512 is there and the matrices are not tiny.</summary>
    public static bool Applies(int m, int n, int k) => Vector512.IsHardwareAccelerated && m >= MR && n >= 16 && k >= 16 && (long)m * n * k >= 32_768;

    /// <summary><c>C += op(A)·op(B)</c> (C already cleared when not accumulating).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = 2 * Vector512<T>.Count;
        int blockColumns = BlockBytes / (KC * Unsafe.SizeOf<T>()) / nr * nr;
        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new Job<T>(pa, pb, pc, m, n, transposeA ? 1 : k, transposeA ? m : 1, transposeB ? 1 : n, transposeB ? k : 1, nr);
            int slivers = (m + MR - 1) / MR;
            bool parallel = (long)m * n * k >= ParallelThreshold && Gemm.MaxThreads >= 2 && slivers >= 2;
            for (int jc = 0; jc < n; jc += blockColumns)
            {
                int nc = Math.Min(blockColumns, n - jc);
                for (int p0 = 0; p0 < k; p0 += KC)
                {
                    int kc = Math.Min(KC, k - p0);
                    T* packedB = Buffers<T>.B(kc * RoundUp(nc, nr));
                    job.PackB(packedB, p0, kc, jc, nc);
                    if (parallel)
                    {
                        InParallel(job, slivers, packedB, p0, kc, jc, nc);
                    }
                    else
                    {
                        job.RowSlivers(0, slivers, packedB, p0, kc, jc, nc);
                    }
                }
            }
        }
    }

    /// <summary>The row slivers split in two halves, one for this thread and one for the GEMM helper (or both here if it is busy).</summary>
    private static void InParallel<T>(Job<T> job, int slivers, T* packedB, int p0, int kc, int jc, int nc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RowHalves<T> work = RowHalves<T>.Instance ??= new RowHalves<T>();
        work.Set(job, slivers, packedB, p0, kc, jc, nc);
        if (!GemmWorker.TryRunInParallel(work))
        {
            work.Run(0);
            work.Run(1);
        }
    }

    /// <summary>The reusable work item: share 0 takes the first half of the row slivers, share 1 the rest.</summary>
    private sealed class RowHalves<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static RowHalves<T>? Instance;

        private Job<T> _job;
        private int _slivers, _p0, _kc, _jc, _nc;
        private T* _packedB;

        public void Set(Job<T> job, int slivers, T* packedB, int p0, int kc, int jc, int nc)
        {
            _packedB = packedB;
            (_job, _slivers, _p0, _kc, _jc, _nc) = (job, slivers, p0, kc, jc, nc);
        }

        public void Run(int share)
        {
            int half = (_slivers + 1) / 2;
            int first = share == 0 ? 0 : half;
            int last = share == 0 ? half : _slivers;
            _job.RowSlivers(first, last, _packedB, _p0, _kc, _jc, _nc);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Per-thread packing buffers, grown when needed and then reused. They start on a 64-byte boundary: a vector load
    /// that straddles two cache lines costs two, and the micro-kernel loads B's packed sliver every step.
    /// </summary>
    private static class Buffers<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static AlignedBuffer? t_a;

        [ThreadStatic]
        private static AlignedBuffer? t_b;

        public static T* A(int length) => Get(ref t_a, length);

        // the calling thread packs B and shares it with its workers for the duration of one product
        public static T* B(int length) => Get(ref t_b, length);

        private static T* Get(ref AlignedBuffer? buffer, int length)
        {
            if (buffer is null || buffer.Length < length)
            {
                buffer = new AlignedBuffer(length);
            }

            return buffer.Start;
        }

        /// <summary>A pinned array (it never moves) and the first element of it on a 64-byte boundary.</summary>
        private sealed class AlignedBuffer
        {
            private const int Alignment = 64;
            private readonly T[] _array;

            public AlignedBuffer(int length)
            {
                _array = GC.AllocateUninitializedArray<T>(length + (Alignment / sizeof(T)), pinned: true);
                var address = (nint)Unsafe.AsPointer(ref _array[0]);
                Start = (T*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
                Length = length;
            }

            public int Length { get; }

            public T* Start { get; }
        }
    }

    /// <summary>One product's operands and strides: A(i, p) = a[i·ars + p·acs], B(p, j) = b[p·brs + j·bcs].</summary>
    private readonly struct Job<T>(T* a, T* b, T* c, int m, int n, int ars, int acs, int brs, int bcs, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void PackB(T* dst, int p0, int kc, int jc, int nc)
        {
            {
                for (int jr = 0; jr < nc; jr += nr)
                {
                    int width = Math.Min(nr, nc - jr);
                    for (int p = 0; p < kc; p++)
                    {
                        T* row = b + ((p0 + p) * (long)brs) + ((jc + jr) * (long)bcs);
                        if (width == nr && bcs == 1)
                        {
                            // a whole contiguous sliver row: two vector copies
                            Vector512.Load(row).Store(dst);
                            Vector512.Load(row + (nr / 2)).Store(dst + (nr / 2));
                        }
                        else
                        {
                            for (int j = 0; j < nr; j++)
                            {
                                dst[j] = j < width ? row[j * (long)bcs] : T.Zero;
                            }
                        }

                        dst += nr;
                    }
                }
            }
        }

        /// <summary>C[rows of slivers first..last, jc..jc+nc] += A[.., p0..p0+kc] · packed B block.</summary>
        public void RowSlivers(int first, int last, T* packedB, int p0, int kc, int jc, int nc)
        {
            T* pa = Buffers<T>.A(MR * KC);
            T* pb = packedB;
            Span<T> edge = stackalloc T[MR * 2 * Vector512<T>.Count];
            fixed (T* pe = edge)
            {
                for (int sliver = first; sliver < last; sliver++)
                {
                    int i0 = sliver * MR;
                    int height = Math.Min(MR, m - i0);
                    PackA(pa, i0, height, p0, kc);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int width = Math.Min(nr, nc - jr);
                        T* cTile = c + (i0 * (long)n) + jc + jr;
                        if (height == MR && width == nr)
                        {
                            Kernel(kc, pa, pb + (jr * kc), cTile, n);
                        }
                        else
                        {
                            // a partial tile: compute the full tile into a scratch block, then add the part that exists
                            new Span<T>(pe, MR * nr).Clear();
                            Kernel(kc, pa, pb + (jr * kc), pe, nr);
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

        /// <summary>A's rows i0..i0+height, columns p0..p0+kc, as kc columns of MR (rows past the edge are zero).</summary>
        private void PackA(T* packed, int i0, int height, int p0, int kc)
        {
            for (int p = 0; p < kc; p++)
            {
                T* column = a + (i0 * (long)ars) + ((p0 + p) * (long)acs);
                for (int r = 0; r < MR; r++)
                {
                    packed[r] = r < height ? column[r * (long)ars] : T.Zero;
                }

                packed += MR;
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
