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
/// as few as 750 sums; here a block of 3 rows of A and 4 rows of B keeps 12 vector sums in registers while it runs
/// along k (7 loads for 12 multiply-adds), and adds each across its lanes once at the end. A block at the edge repeats
/// its last row and keeps only the sums that exist.
/// </remarks>
internal static unsafe class RowDots
{
    private const int BlockRows = 3, BlockColumns = 4;

    /// <summary>True where this pays: C small (it is written once, by sums), k long enough for vectors, and the product short enough for one thread.</summary>
    public static bool Applies<T>(int m, int n, int k)
        where T : unmanaged => Vector256.IsHardwareAccelerated && m >= 1 && n >= 1 && k >= 4 * Vector256<T>.Count && (long)m * n <= 4096
            && (long)m * n * k < PackedGemm.ParallelThreshold;

    /// <summary><c>C[i, j] = Σ_p A[i, p]·B[j, p]</c>, or added to C when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> sums = stackalloc T[BlockRows * BlockColumns];
        fixed (T* pa = a, pb = b, pc = c)
        {
            for (int i = 0; i < m; i += BlockRows)
            {
                int rows = Math.Min(BlockRows, m - i);
                for (int j = 0; j < n; j += BlockColumns)
                {
                    int columns = Math.Min(BlockColumns, n - j);
                    // the block's rows, the last one repeated past the edge
                    T* a0 = pa + ((long)i * k), a1 = pa + ((long)(i + Math.Min(1, rows - 1)) * k), a2 = pa + ((long)(i + Math.Min(2, rows - 1)) * k);
                    T* b0 = pb + ((long)j * k), b1 = pb + ((long)(j + Math.Min(1, columns - 1)) * k);
                    T* b2 = pb + ((long)(j + Math.Min(2, columns - 1)) * k), b3 = pb + ((long)(j + Math.Min(3, columns - 1)) * k);
                    if (Vector512.IsHardwareAccelerated)
                    {
                        Block512(k, a0, a1, a2, b0, b1, b2, b3, sums);
                    }
                    else
                    {
                        Block256(k, a0, a1, a2, b0, b1, b2, b3, sums);
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        T* row = pc + ((long)(i + r) * n) + j;
                        for (int q = 0; q < columns; q++)
                        {
                            row[q] = accumulate ? row[q] + sums[(r * BlockColumns) + q] : sums[(r * BlockColumns) + q];
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block512<T>(int k, T* a0, T* a1, T* a2, T* b0, T* b1, T* b2, T* b3, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count, p = 0;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default;
        for (; p + v <= k; p += v)
        {
            Vector512<T> x0 = Vector512.Load(a0 + p), x1 = Vector512.Load(a1 + p), x2 = Vector512.Load(a2 + p);
            Vector512<T> y = Vector512.Load(b0 + p);
            s00 = Fused.MultiplyAdd(x0, y, s00);
            s10 = Fused.MultiplyAdd(x1, y, s10);
            s20 = Fused.MultiplyAdd(x2, y, s20);
            y = Vector512.Load(b1 + p);
            s01 = Fused.MultiplyAdd(x0, y, s01);
            s11 = Fused.MultiplyAdd(x1, y, s11);
            s21 = Fused.MultiplyAdd(x2, y, s21);
            y = Vector512.Load(b2 + p);
            s02 = Fused.MultiplyAdd(x0, y, s02);
            s12 = Fused.MultiplyAdd(x1, y, s12);
            s22 = Fused.MultiplyAdd(x2, y, s22);
            y = Vector512.Load(b3 + p);
            s03 = Fused.MultiplyAdd(x0, y, s03);
            s13 = Fused.MultiplyAdd(x1, y, s13);
            s23 = Fused.MultiplyAdd(x2, y, s23);
        }

        Finish(sums, p, k, a0, a1, a2, b0, b1, b2, b3,
            Vector512.Sum(s00), Vector512.Sum(s01), Vector512.Sum(s02), Vector512.Sum(s03),
            Vector512.Sum(s10), Vector512.Sum(s11), Vector512.Sum(s12), Vector512.Sum(s13),
            Vector512.Sum(s20), Vector512.Sum(s21), Vector512.Sum(s22), Vector512.Sum(s23));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block256<T>(int k, T* a0, T* a1, T* a2, T* b0, T* b1, T* b2, T* b3, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count, p = 0;
        Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<T> s20 = default, s21 = default, s22 = default, s23 = default;
        for (; p + v <= k; p += v)
        {
            Vector256<T> x0 = Vector256.Load(a0 + p), x1 = Vector256.Load(a1 + p), x2 = Vector256.Load(a2 + p);
            Vector256<T> y = Vector256.Load(b0 + p);
            s00 = Fused.MultiplyAdd(x0, y, s00);
            s10 = Fused.MultiplyAdd(x1, y, s10);
            s20 = Fused.MultiplyAdd(x2, y, s20);
            y = Vector256.Load(b1 + p);
            s01 = Fused.MultiplyAdd(x0, y, s01);
            s11 = Fused.MultiplyAdd(x1, y, s11);
            s21 = Fused.MultiplyAdd(x2, y, s21);
            y = Vector256.Load(b2 + p);
            s02 = Fused.MultiplyAdd(x0, y, s02);
            s12 = Fused.MultiplyAdd(x1, y, s12);
            s22 = Fused.MultiplyAdd(x2, y, s22);
            y = Vector256.Load(b3 + p);
            s03 = Fused.MultiplyAdd(x0, y, s03);
            s13 = Fused.MultiplyAdd(x1, y, s13);
            s23 = Fused.MultiplyAdd(x2, y, s23);
        }

        Finish(sums, p, k, a0, a1, a2, b0, b1, b2, b3,
            Vector256.Sum(s00), Vector256.Sum(s01), Vector256.Sum(s02), Vector256.Sum(s03),
            Vector256.Sum(s10), Vector256.Sum(s11), Vector256.Sum(s12), Vector256.Sum(s13),
            Vector256.Sum(s20), Vector256.Sum(s21), Vector256.Sum(s22), Vector256.Sum(s23));
    }

    /// <summary>The lanes' sums plus the last k mod V terms, one by one, into the block's 12 sums.</summary>
    private static void Finish<T>(Span<T> sums, int p, int k, T* a0, T* a1, T* a2, T* b0, T* b1, T* b2, T* b3,
        T s00, T s01, T s02, T s03, T s10, T s11, T s12, T s13, T s20, T s21, T s22, T s23)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (; p < k; p++)
        {
            T x0 = a0[p], x1 = a1[p], x2 = a2[p], y0 = b0[p], y1 = b1[p], y2 = b2[p], y3 = b3[p];
            s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
            s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
            s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        }

        (sums[0], sums[1], sums[2], sums[3]) = (s00, s01, s02, s03);
        (sums[4], sums[5], sums[6], sums[7]) = (s10, s11, s12, s13);
        (sums[8], sums[9], sums[10], sums[11]) = (s20, s21, s22, s23);
    }
}
