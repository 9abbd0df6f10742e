using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralSharp.Kernels;

/// <summary>
/// <see cref="PackedGemm"/>'s register-blocked micro-kernel: a 12-row × 2-vector tile of C from packed panels — with
/// AVX-512 in 24 of its 32 registers at once; with AVX2 and FMA (16 registers) as two 6-row halves of 12 accumulators
/// each over the same sliver of B, which stays in L1 between them.
/// </summary>
internal static unsafe class MicroKernel
{
    /// <summary>Rows of C per tile (MR): A's packed slivers are this tall.</summary>
    public const int Rows = 12;

    /// <summary>True when this machine has a kernel here: AVX-512, or AVX2 with FMA.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated || (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported);

    /// <summary>Columns of C per tile (NR): two of the kernel's vectors.</summary>
    public static int Columns<T>()
        where T : unmanaged => Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    /// <summary>Copies one of the kernel's vectors (half a tile row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyVector<T>(T* from, T* to)
        where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512.Load(from).Store(to);
        }
        else
        {
            Vector256.Load(from).Store(to);
        }
    }

    /// <summary>
    /// C[0:12, 0:2V] += A[12, kc] · Bpanel[kc, 2V] (= with <paramref name="store"/>), the sums held in 24 of the 32
    /// vector registers: per step two loads of B and twelve broadcasts of A feed 24 fused multiply-adds.
    /// A(r, p) = pa[r·<paramref name="rowStride"/> + p·<paramref name="step"/>]: a packed sliver is rowStride 1, step 12;
    /// A's stored rows are read where they lie with rowStride lda, step 1 (no packing pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, T* pa, nint rowStride, nint step, T* pb, T* pc, int ldc, bool store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            SixRows(kc, pa, rowStride, step, pb, pc, ldc, store);
            SixRows(kc, pa + (6 * rowStride), rowStride, step, pb, pc + (6 * (long)ldc), ldc, store);
            return;
        }

        int v = Vector512<T>.Count;
        if (!store && Sse.IsSupported)
        {
            // C's tile is read only at the end: ask for its 24 cache lines now, so they arrive during the loop
            for (int r = 0; r < Rows; r++)
            {
                Sse.Prefetch0(pc + (r * (long)ldc));
                Sse.Prefetch0(pc + (r * (long)ldc) + v);
            }
        }

        Vector512<T> c0a = default, c0b = default, c1a = default, c1b = default;
        Vector512<T> c2a = default, c2b = default, c3a = default, c3b = default;
        Vector512<T> c4a = default, c4b = default, c5a = default, c5b = default;
        Vector512<T> c6a = default, c6b = default, c7a = default, c7b = default;
        Vector512<T> c8a = default, c8b = default, c9a = default, c9b = default;
        Vector512<T> c10a = default, c10b = default, c11a = default, c11b = default;
        // three row pointers and three multiples of the row stride address the twelve rows ([row + stride·scale])
        T* r0 = pa, r4 = pa + (4 * rowStride), r8 = pa + (8 * rowStride);
        nint twice = 2 * rowStride, thrice = 3 * rowStride;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(pb), b1 = Vector512.Load(pb + v);
            Vector512<T> a0 = Vector512.Create(r0[0]);
            c0a = Fma(a0, b0, c0a);
            c0b = Fma(a0, b1, c0b);
            Vector512<T> a1 = Vector512.Create(r0[rowStride]);
            c1a = Fma(a1, b0, c1a);
            c1b = Fma(a1, b1, c1b);
            Vector512<T> a2 = Vector512.Create(r0[twice]);
            c2a = Fma(a2, b0, c2a);
            c2b = Fma(a2, b1, c2b);
            Vector512<T> a3 = Vector512.Create(r0[thrice]);
            c3a = Fma(a3, b0, c3a);
            c3b = Fma(a3, b1, c3b);
            Vector512<T> a4 = Vector512.Create(r4[0]);
            c4a = Fma(a4, b0, c4a);
            c4b = Fma(a4, b1, c4b);
            Vector512<T> a5 = Vector512.Create(r4[rowStride]);
            c5a = Fma(a5, b0, c5a);
            c5b = Fma(a5, b1, c5b);
            Vector512<T> a6 = Vector512.Create(r4[twice]);
            c6a = Fma(a6, b0, c6a);
            c6b = Fma(a6, b1, c6b);
            Vector512<T> a7 = Vector512.Create(r4[thrice]);
            c7a = Fma(a7, b0, c7a);
            c7b = Fma(a7, b1, c7b);
            Vector512<T> a8 = Vector512.Create(r8[0]);
            c8a = Fma(a8, b0, c8a);
            c8b = Fma(a8, b1, c8b);
            Vector512<T> a9 = Vector512.Create(r8[rowStride]);
            c9a = Fma(a9, b0, c9a);
            c9b = Fma(a9, b1, c9b);
            Vector512<T> a10 = Vector512.Create(r8[twice]);
            c10a = Fma(a10, b0, c10a);
            c10b = Fma(a10, b1, c10b);
            Vector512<T> a11 = Vector512.Create(r8[thrice]);
            c11a = Fma(a11, b0, c11a);
            c11b = Fma(a11, b1, c11b);
            r0 += step;
            r4 += step;
            r8 += step;
            pb += 2 * v;
        }

        Put(pc, c0a, c0b, v, store);
        Put(pc + ldc, c1a, c1b, v, store);
        Put(pc + (2 * ldc), c2a, c2b, v, store);
        Put(pc + (3 * ldc), c3a, c3b, v, store);
        Put(pc + (4 * ldc), c4a, c4b, v, store);
        Put(pc + (5 * ldc), c5a, c5b, v, store);
        Put(pc + (6 * ldc), c6a, c6b, v, store);
        Put(pc + (7 * ldc), c7a, c7b, v, store);
        Put(pc + (8 * ldc), c8a, c8b, v, store);
        Put(pc + (9 * ldc), c9a, c9b, v, store);
        Put(pc + (10 * ldc), c10a, c10b, v, store);
        Put(pc + (11 * ldc), c11a, c11b, v, store);
    }

    /// <summary>
    /// C[0:6, 0:2V] += A[6, kc] · Bpanel[kc, 2V] on 256-bit vectors: 12 accumulators, two loads of B and one broadcast of
    /// A at a time — 15 of AVX2's 16 registers. A is addressed as in <see cref="Run{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SixRows<T>(int kc, T* pa, nint rowStride, nint step, T* pb, T* pc, int ldc, bool store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count;
        if (!store && Sse.IsSupported)
        {
            for (int r = 0; r < 6; r++)
            {
                Sse.Prefetch0(pc + (r * (long)ldc));
                Sse.Prefetch0(pc + (r * (long)ldc) + v);
            }
        }

        Vector256<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default;
        Vector256<T> c3a = default, c3b = default, c4a = default, c4b = default, c5a = default, c5b = default;
        T* r0 = pa, r3 = pa + (3 * rowStride);
        nint twice = 2 * rowStride;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(pb), b1 = Vector256.Load(pb + v);
            Vector256<T> a = Vector256.Create(r0[0]);
            c0a = Fused.MultiplyAdd(a, b0, c0a);
            c0b = Fused.MultiplyAdd(a, b1, c0b);
            a = Vector256.Create(r0[rowStride]);
            c1a = Fused.MultiplyAdd(a, b0, c1a);
            c1b = Fused.MultiplyAdd(a, b1, c1b);
            a = Vector256.Create(r0[twice]);
            c2a = Fused.MultiplyAdd(a, b0, c2a);
            c2b = Fused.MultiplyAdd(a, b1, c2b);
            a = Vector256.Create(r3[0]);
            c3a = Fused.MultiplyAdd(a, b0, c3a);
            c3b = Fused.MultiplyAdd(a, b1, c3b);
            a = Vector256.Create(r3[rowStride]);
            c4a = Fused.MultiplyAdd(a, b0, c4a);
            c4b = Fused.MultiplyAdd(a, b1, c4b);
            a = Vector256.Create(r3[twice]);
            c5a = Fused.MultiplyAdd(a, b0, c5a);
            c5b = Fused.MultiplyAdd(a, b1, c5b);
            r0 += step;
            r3 += step;
            pb += 2 * v;
        }

        Put(pc, c0a, c0b, v, store);
        Put(pc + ldc, c1a, c1b, v, store);
        Put(pc + (2 * ldc), c2a, c2b, v, store);
        Put(pc + (3 * ldc), c3a, c3b, v, store);
        Put(pc + (4 * ldc), c4a, c4b, v, store);
        Put(pc + (5 * ldc), c5a, c5b, v, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* row, Vector256<T> low, Vector256<T> high, int v, bool store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (store)
        {
            low.Store(row);
            high.Store(row + v);
            return;
        }

        (Vector256.Load(row) + low).Store(row);
        (Vector256.Load(row + v) + high).Store(row + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged, IFloatingPointIeee754<T> => Fused.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* row, Vector512<T> low, Vector512<T> high, int v, bool store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (store)
        {
            low.Store(row);
            high.Store(row + v);
            return;
        }

        (Vector512.Load(row) + low).Store(row);
        (Vector512.Load(row + v) + high).Store(row + v);
    }
}
