using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Kernels;

/// <summary>
/// General matrix product on spans, BLAS-style: <c>C[m, n] = op(A)[m, k] · op(B)[k, n]</c> (+ C when accumulating),
/// row-major, where <c>op(X)</c> is X or Xᵀ. Transpose flags let a layer compute <c>xᵀ·δ</c> and <c>δ·Wᵀ</c>
/// without building a transposed copy.
/// </summary>
/// <remarks>
/// This is the straightforward, allocation-free kernel: each row of C is built from rows of B scaled by one element
/// of A (<c>C[i,:] += A[i,p]·B[p,:]</c>, vectorised by <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>),
/// or, when B is transposed, from dot products of contiguous rows. Layers call only this entry point, so a tuned
/// kernel can replace the body without touching them.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is set.</summary>
    /// <param name="a">A, stored <c>[m, k]</c>, or <c>[k, m]</c> when <paramref name="transposeA"/>.</param>
    /// <param name="b">B, stored <c>[k, n]</c>, or <c>[n, k]</c> when <paramref name="transposeB"/>.</param>
    /// <param name="c">C, stored <c>[m, n]</c>.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared (summed) dimension.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(a.Length >= m * k && b.Length >= k * n && c.Length >= m * n, "Spans shorter than the dimensions.");
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (transposeB)
        {
            MultiplyTransposedB(a, b, c, m, n, k, transposeA);
            return;
        }

        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<T> bRow = b.Slice(p * n, n);
            for (int i = 0; i < m; i++)
            {
                T aip = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                Span<T> cRow = c.Slice(i * n, n);
                // C[i,:] += A[i,p] · B[p,:]
                TensorPrimitives.MultiplyAdd(bRow, aip, cRow, cRow);
            }
        }
    }

    private static void MultiplyTransposedB<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<T> bRow = b.Slice(j * k, k);
                T sum;
                if (transposeA)
                {
                    sum = T.Zero;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a[(p * m) + i] * bRow[p];
                    }
                }
                else
                {
                    // C[i,j] = A[i,:] · B[j,:]
                    sum = TensorPrimitives.Dot(a.Slice(i * k, k), bRow);
                }

                c[(i * n) + j] += sum;
            }
        }
    }
}
