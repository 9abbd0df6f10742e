using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralSharp.Kernels;

/// <summary>
/// General matrix product on spans, BLAS-style: <c>C[m, n] = op(A)[m, k] · op(B)[k, n]</c> (+ C when accumulating),
/// row-major, where <c>op(X)</c> is X or Xᵀ. Transpose flags let a layer compute <c>xᵀ·δ</c> and <c>δ·Wᵀ</c>
/// without the layer building a transposed copy.
/// </summary>
/// <remarks>
/// Paths behind one entry point: large products with AVX-512 go to <see cref="PackedGemm"/> (packed, cache-blocked,
/// FMA, up to two threads); one to three rows, or fewer columns than a 512-bit vector holds, without Bᵀ go to
/// <see cref="FewRows"/> (register-blocked matrix-vector products: a sample's inference, an output layer of ten);
/// without AVX-512, one to three rows go to <see cref="FewRowsPortable"/>; everything else uses the register-blocked
/// kernel below.
/// Register-blocked: a micro-kernel keeps a 4-row × 2-vector block of C in registers while it runs over the whole
/// shared dimension, broadcasting one element of A and loading one row-slice of B per step
/// (<c>C[i, j:j+2V] += A[i, p] · B[p, j:j+2V]</c>), so C is read and written once. Aᵀ is read in place (its elements are
/// only broadcast); Bᵀ is first copied into a per-thread scratch buffer as B, which allocates only when it grows.
/// <see cref="Vector{T}"/> takes the widest vector the machine offers; this path is single-threaded.
/// </remarks>
public static class Gemm
{
    [ThreadStatic]
    private static byte[]? t_scratch;


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
        if (transposeB && !transposeA && RowDots.Applies<T>(m, n, k))
        {
            // a small C summed over a long k from two operands stored by rows (a convolution's ∂W for one image)
            RowDots.Multiply(a, b, c, m, n, k, accumulate);
            return;
        }

        if (PackedGemm.Applies(m, n, k))
        {
            // overwrites C itself (no clearing pass)
            PackedGemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate);
            return;
        }

        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }

        if (FewRows.Applies<T>(m, n, transposeB))
        {
            FewRows.Multiply(a, b, c, m, n, k, transposeA);
            return;
        }

        if (FewRowsPortable.Applies<T>(m, transposeB))
        {
            FewRowsPortable.Multiply(a, b, c, m, n, k, transposeA);
            return;
        }

        if (transposeB && !transposeA && m <= 3)
        {
            // a few rows times stored Bᵀ (δ·Wᵀ for one sample, a recurrent step): C[i, j] += A[i, :]·B[j, :], both
            // stored as rows, one dot product each and no transposed copy
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    c[(i * n) + j] += TensorPrimitives.Dot(a.Slice(i * k, k), b.Slice(j * k, k));
                }
            }

            return;
        }

        if (transposeB)
        {
            Span<T> packed = Scratch<T>(k * n);
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                {
                    // B[p, j] = (stored Bᵀ)[j, p]
                    packed[(p * n) + j] = b[(j * k) + p];
                }
            }

            b = packed;
        }

        // A[i, p] = a[i·rowStride + p·columnStride]
        var blocks = new Blocks<T>(a, b, c, n, k, transposeA ? 1 : k, transposeA ? m : 1);
        int rowBlocks = m / 4 * 4;
        for (int i = 0; i < rowBlocks; i += 4)
        {
            blocks.FourRows(i);
        }

        for (int i = rowBlocks; i < m; i++)
        {
            blocks.OneRow(i);
        }
    }

    /// <summary>
    /// <c>C = A·B</c> (or <c>C += A·B</c>) with B also given packed (<see cref="PackedMatrix{T}"/>, from the same
    /// values): the packed path reads it as it is, where a product this size would take that path on one thread;
    /// otherwise the plain product.
    /// </summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, PackedMatrix<T> packed, Span<T> c, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(packed);
        bool oneThread = (long)m * n * k < PackedGemm.ParallelThreshold || Parallelism.Threads < 2;
        bool ready = packed.IsPacked && packed.K == k && packed.N == n && PackedGemm.Applies(m, n, k);
        if (ready && Parallelism.Threads >= 2 && (long)m * n * k >= PackedGemm.PrepackedParallelThreshold && PackedGemm.HalvesByColumns(packed))
        {
            PackedGemm.MultiplyInHalves(a, packed, c, m, accumulate);
            return;
        }

        if (ready && oneThread)
        {
            PackedGemm.Multiply(a, packed, c, m, accumulate);
            return;
        }

        Multiply(a, b, c, m, n, k, transposeB: packed.Transposed, accumulate: accumulate);
    }

    private static Span<T> Scratch<T>(int length)
        where T : unmanaged
    {
        int bytes = length * Unsafe.SizeOf<T>();
        if (t_scratch is null || t_scratch.Length < bytes)
        {
            t_scratch = new byte[Math.Max(bytes, 4096)];
        }

        return MemoryMarshal.Cast<byte, T>(t_scratch.AsSpan(0, bytes));
    }

    /// <summary>The micro-kernels over one product's operands.</summary>
    private readonly ref struct Blocks<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int n, int k, int rowStride, int columnStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<T> _a = a;
        private readonly ReadOnlySpan<T> _b = b;
        private readonly Span<T> _c = c;

        /// <summary>Rows i … i+3 of C: 2-vector blocks, then 1-vector blocks, then single columns.</summary>
        public void FourRows(int i)
        {
            int width = Vector<T>.Count, j = 0;
            for (; j + (2 * width) <= n; j += 2 * width)
            {
                FourByTwoVectors(i, j);
            }

            for (; j + width <= n; j += width)
            {
                for (int r = 0; r < 4; r++)
                {
                    OneVector(i + r, j);
                }
            }

            for (; j < n; j++)
            {
                for (int r = 0; r < 4; r++)
                {
                    Single(i + r, j);
                }
            }
        }

        /// <summary>Row i of C, one vector of columns at a time, then single columns.</summary>
        public void OneRow(int i)
        {
            int width = Vector<T>.Count, j = 0;
            for (; j + width <= n; j += width)
            {
                OneVector(i, j);
            }

            for (; j < n; j++)
            {
                Single(i, j);
            }
        }

        private void FourByTwoVectors(int i, int j)
        {
            int width = Vector<T>.Count;
            Span<T> c0 = _c.Slice(i * n), c1 = _c.Slice((i + 1) * n), c2 = _c.Slice((i + 2) * n), c3 = _c.Slice((i + 3) * n);
            Vector<T> s00 = new(c0[j..]), s01 = new(c0[(j + width)..]), s10 = new(c1[j..]), s11 = new(c1[(j + width)..]);
            Vector<T> s20 = new(c2[j..]), s21 = new(c2[(j + width)..]), s30 = new(c3[j..]), s31 = new(c3[(j + width)..]);
            for (int p = 0; p < k; p++)
            {
                ReadOnlySpan<T> bRow = _b.Slice((p * n) + j);
                Vector<T> b0 = new(bRow), b1 = new(bRow[width..]);
                int at = (i * rowStride) + (p * columnStride);
                // C[i+r, j:j+2V] += A[i+r, p] · B[p, j:j+2V]
                Vector<T> a0 = new(_a[at]), a1 = new(_a[at + rowStride]), a2 = new(_a[at + (2 * rowStride)]), a3 = new(_a[at + (3 * rowStride)]);
                s00 += a0 * b0;
                s01 += a0 * b1;
                s10 += a1 * b0;
                s11 += a1 * b1;
                s20 += a2 * b0;
                s21 += a2 * b1;
                s30 += a3 * b0;
                s31 += a3 * b1;
            }

            s00.CopyTo(c0[j..]);
            s01.CopyTo(c0[(j + width)..]);
            s10.CopyTo(c1[j..]);
            s11.CopyTo(c1[(j + width)..]);
            s20.CopyTo(c2[j..]);
            s21.CopyTo(c2[(j + width)..]);
            s30.CopyTo(c3[j..]);
            s31.CopyTo(c3[(j + width)..]);
        }

        private void OneVector(int i, int j)
        {
            Span<T> cRow = _c.Slice((i * n) + j);
            Vector<T> sum = new(cRow);
            for (int p = 0; p < k; p++)
            {
                sum += new Vector<T>(_a[(i * rowStride) + (p * columnStride)]) * new Vector<T>(_b.Slice((p * n) + j));
            }

            sum.CopyTo(cRow);
        }

        private void Single(int i, int j)
        {
            T sum = _c[(i * n) + j];
            for (int p = 0; p < k; p++)
            {
                sum += _a[(i * rowStride) + (p * columnStride)] * _b[(p * n) + j];
            }

            _c[(i * n) + j] = sum;
        }
    }
}
