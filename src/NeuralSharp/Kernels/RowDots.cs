using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Kernels;

/// <summary>
/// <c>C = A·Bᵀ</c> (or <c>C += A·Bᵀ</c>) for a small C and a long shared dimension, with A <c>[m, k]</c> and B
/// <c>[n, k]</c> both stored by rows: every <c>C[i, j] = A[i, :]·B[j, :]</c> is a dot product of two stored rows.
/// A convolution's <c>∂W = col_n·δ_nᵀ</c> is this shape (25 × 30 sums over 576 positions for a 5×5 kernel on 28×28).
/// </summary>
/// <remarks>
/// The packed product would transpose B into slivers and run tiles of 12 × 32 with a short edge in both directions for
/// as few as 750 sums; here a block of rows of A and rows of B keeps its sums as vectors in registers while it runs
/// along k, and adds each across its lanes once at the end: 4 × 6 with 512-bit vectors (24 sums, 10 loads for 24
/// multiply-adds: the operands come from L2, so fewer loads per multiply-add is what pays), 3 × 4 with 256-bit ones
/// (the 16 registers of AVX2). A block at the edge repeats its last row and keeps only the sums that exist.
/// </remarks>
internal static unsafe class RowDots
{
    /// <summary>True where this pays: C small (it is written once, by sums), k long enough for vectors, and the product short enough for one thread.</summary>
    public static bool Applies<T>(int m, int n, int k)
        where T : unmanaged => Vector256.IsHardwareAccelerated && m >= 1 && n >= 1 && k >= 4 * Vector256<T>.Count && (long)m * n <= 4096
            && (long)m * n * k < PackedGemm.ParallelThreshold;

    /// <summary><c>C[i, j] = Σ_p A[i, p]·B[j, p]</c>, or added to C when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool wide = Vector512.IsHardwareAccelerated;
        int blockRows = wide ? 4 : 3, blockColumns = wide ? 6 : 4;
        Span<T> sums = stackalloc T[24];
        fixed (T* pa = a, pb = b, pc = c)
        {
            for (int i = 0; i < m; i += blockRows)
            {
                int rows = Math.Min(blockRows, m - i);
                for (int j = 0; j < n; j += blockColumns)
                {
                    int columns = Math.Min(blockColumns, n - j);
                    var block = new Block<T>(pa + ((long)i * k), rows, pb + ((long)j * k), columns, k);
                    if (wide)
                    {
                        FourBySix(block, sums);
                    }
                    else
                    {
                        ThreeByFour(block, sums);
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        T* row = pc + ((long)(i + r) * n) + j;
                        for (int q = 0; q < columns; q++)
                        {
                            row[q] = accumulate ? row[q] + sums[(r * blockColumns) + q] : sums[(r * blockColumns) + q];
                        }
                    }
                }
            }
        }
    }

    /// <summary>A block's rows of A and of B, row r at <c>first + min(r, count − 1)·k</c> (the last one repeated past the edge).</summary>
    private readonly struct Block<T>(T* a, int rows, T* b, int columns, int k)
        where T : unmanaged
    {
        public int K => k;

        public T* A(int r) => a + ((long)Math.Min(r, rows - 1) * k);

        public T* B(int q) => b + ((long)Math.Min(q, columns - 1) * k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourBySix<T>(Block<T> block, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count, k = block.K, p = 0;
        T* a0 = block.A(0), a1 = block.A(1), a2 = block.A(2), a3 = block.A(3);
        T* b0 = block.B(0), b1 = block.B(1), b2 = block.B(2), b3 = block.B(3), b4 = block.B(4), b5 = block.B(5);
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default, s05 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default, s25 = default;
        Vector512<T> s30 = default, s31 = default, s32 = default, s33 = default, s34 = default, s35 = default;
        for (; p + v <= k; p += v)
        {
            Vector512<T> x0 = Vector512.Load(a0 + p), x1 = Vector512.Load(a1 + p), x2 = Vector512.Load(a2 + p), x3 = Vector512.Load(a3 + p);
            Vector512<T> y = Vector512.Load(b0 + p);
            (s00, s10, s20, s30) = (Fused.MultiplyAdd(x0, y, s00), Fused.MultiplyAdd(x1, y, s10), Fused.MultiplyAdd(x2, y, s20), Fused.MultiplyAdd(x3, y, s30));
            y = Vector512.Load(b1 + p);
            (s01, s11, s21, s31) = (Fused.MultiplyAdd(x0, y, s01), Fused.MultiplyAdd(x1, y, s11), Fused.MultiplyAdd(x2, y, s21), Fused.MultiplyAdd(x3, y, s31));
            y = Vector512.Load(b2 + p);
            (s02, s12, s22, s32) = (Fused.MultiplyAdd(x0, y, s02), Fused.MultiplyAdd(x1, y, s12), Fused.MultiplyAdd(x2, y, s22), Fused.MultiplyAdd(x3, y, s32));
            y = Vector512.Load(b3 + p);
            (s03, s13, s23, s33) = (Fused.MultiplyAdd(x0, y, s03), Fused.MultiplyAdd(x1, y, s13), Fused.MultiplyAdd(x2, y, s23), Fused.MultiplyAdd(x3, y, s33));
            y = Vector512.Load(b4 + p);
            (s04, s14, s24, s34) = (Fused.MultiplyAdd(x0, y, s04), Fused.MultiplyAdd(x1, y, s14), Fused.MultiplyAdd(x2, y, s24), Fused.MultiplyAdd(x3, y, s34));
            y = Vector512.Load(b5 + p);
            (s05, s15, s25, s35) = (Fused.MultiplyAdd(x0, y, s05), Fused.MultiplyAdd(x1, y, s15), Fused.MultiplyAdd(x2, y, s25), Fused.MultiplyAdd(x3, y, s35));
        }

        (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]) = (Vector512.Sum(s00), Vector512.Sum(s01), Vector512.Sum(s02), Vector512.Sum(s03), Vector512.Sum(s04), Vector512.Sum(s05));
        (sums[6], sums[7], sums[8], sums[9], sums[10], sums[11]) = (Vector512.Sum(s10), Vector512.Sum(s11), Vector512.Sum(s12), Vector512.Sum(s13), Vector512.Sum(s14), Vector512.Sum(s15));
        (sums[12], sums[13], sums[14], sums[15], sums[16], sums[17]) = (Vector512.Sum(s20), Vector512.Sum(s21), Vector512.Sum(s22), Vector512.Sum(s23), Vector512.Sum(s24), Vector512.Sum(s25));
        (sums[18], sums[19], sums[20], sums[21], sums[22], sums[23]) = (Vector512.Sum(s30), Vector512.Sum(s31), Vector512.Sum(s32), Vector512.Sum(s33), Vector512.Sum(s34), Vector512.Sum(s35));
        Tail(block, sums, p, rows: 4, columns: 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ThreeByFour<T>(Block<T> block, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count, k = block.K, p = 0;
        T* a0 = block.A(0), a1 = block.A(1), a2 = block.A(2);
        T* b0 = block.B(0), b1 = block.B(1), b2 = block.B(2), b3 = block.B(3);
        Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<T> s20 = default, s21 = default, s22 = default, s23 = default;
        for (; p + v <= k; p += v)
        {
            Vector256<T> x0 = Vector256.Load(a0 + p), x1 = Vector256.Load(a1 + p), x2 = Vector256.Load(a2 + p);
            Vector256<T> y = Vector256.Load(b0 + p);
            (s00, s10, s20) = (Fused.MultiplyAdd(x0, y, s00), Fused.MultiplyAdd(x1, y, s10), Fused.MultiplyAdd(x2, y, s20));
            y = Vector256.Load(b1 + p);
            (s01, s11, s21) = (Fused.MultiplyAdd(x0, y, s01), Fused.MultiplyAdd(x1, y, s11), Fused.MultiplyAdd(x2, y, s21));
            y = Vector256.Load(b2 + p);
            (s02, s12, s22) = (Fused.MultiplyAdd(x0, y, s02), Fused.MultiplyAdd(x1, y, s12), Fused.MultiplyAdd(x2, y, s22));
            y = Vector256.Load(b3 + p);
            (s03, s13, s23) = (Fused.MultiplyAdd(x0, y, s03), Fused.MultiplyAdd(x1, y, s13), Fused.MultiplyAdd(x2, y, s23));
        }

        (sums[0], sums[1], sums[2], sums[3]) = (Vector256.Sum(s00), Vector256.Sum(s01), Vector256.Sum(s02), Vector256.Sum(s03));
        (sums[4], sums[5], sums[6], sums[7]) = (Vector256.Sum(s10), Vector256.Sum(s11), Vector256.Sum(s12), Vector256.Sum(s13));
        (sums[8], sums[9], sums[10], sums[11]) = (Vector256.Sum(s20), Vector256.Sum(s21), Vector256.Sum(s22), Vector256.Sum(s23));
        Tail(block, sums, p, rows: 3, columns: 4);
    }

    /// <summary>The last k mod V terms, one by one, added to the block's sums.</summary>
    private static void Tail<T>(Block<T> block, Span<T> sums, int p, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            T* a = block.A(r);
            for (int q = 0; q < columns; q++)
            {
                T* b = block.B(q);
                T sum = sums[(r * columns) + q];
                for (int t = p; t < block.K; t++)
                {
                    sum += a[t] * b[t];
                }

                sums[(r * columns) + q] = sum;
            }
        }
    }
}
