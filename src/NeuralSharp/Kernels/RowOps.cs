using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Kernels;

/// <summary>Row-wise helpers on row-major matrices: broadcasting a vector over rows and summing rows.</summary>
public static class RowOps
{
    /// <summary><c>matrix[i,:] += vector</c> for every row i: the bias broadcast over the batch.</summary>
    public static void AddToEachRow<T>(Span<T> matrix, ReadOnlySpan<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columns = vector.Length;
        Debug.Assert(columns == 0 || matrix.Length % columns == 0, "Matrix width differs from the vector.");
        for (int start = 0; start + columns <= matrix.Length && columns > 0; start += columns)
        {
            Span<T> row = matrix.Slice(start, columns);
            TensorPrimitives.Add(row, vector, row);
        }
    }

    /// <summary><c>sums[j] = Σ_i matrix[i, j]</c>: the column sums, e.g. <c>∂L/∂b = Σ_batch δ</c>.</summary>
    public static void SumRows<T>(ReadOnlySpan<T> matrix, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columns = sums.Length;
        sums.Clear();
        for (int start = 0; start + columns <= matrix.Length && columns > 0; start += columns)
        {
            TensorPrimitives.Add(sums, matrix.Slice(start, columns), sums);
        }
    }

    /// <summary>
    /// Row-wise softmax with the row maximum subtracted first, so large inputs cannot overflow:
    /// <c>z[i,j] = exp(u[i,j] − max_j u[i,:]) / Σ_j exp(u[i,j] − max_j u[i,:])</c>.
    /// </summary>
    public static void Softmax<T>(ReadOnlySpan<T> u, Span<T> z, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns <= 0)
        {
            return;
        }

        int length = u.Length / columns * columns;
        if (columns < 32)
        {
            // narrow rows (ten classes): the per-row calls would cost more than the work, so the row passes are plain
            // loops and exp runs once over the whole batch
            for (int start = 0; start < length; start += columns)
            {
                T max = u[start];
                for (int j = 1; j < columns; j++)
                {
                    max = T.Max(max, u[start + j]);
                }

                for (int j = 0; j < columns; j++)
                {
                    // guard: subtracting the maximum leaves the result unchanged and keeps exp() ≤ 1
                    z[start + j] = u[start + j] - max;
                }
            }

            TensorPrimitives.Exp(z[..length], z[..length]);
            for (int start = 0; start < length; start += columns)
            {
                T sum = T.Zero;
                for (int j = 0; j < columns; j++)
                {
                    sum += z[start + j];
                }

                T scale = T.One / sum;
                for (int j = 0; j < columns; j++)
                {
                    z[start + j] *= scale;
                }
            }

            return;
        }

        for (int start = 0; start < length; start += columns)
        {
            ReadOnlySpan<T> uRow = u.Slice(start, columns);
            Span<T> zRow = z.Slice(start, columns);
            // guard: subtracting the maximum leaves the result unchanged and keeps exp() ≤ 1
            T max = TensorPrimitives.Max(uRow);
            TensorPrimitives.Subtract(uRow, max, zRow);
            TensorPrimitives.Exp(zRow, zRow);
            T sum = TensorPrimitives.Sum<T>(zRow);
            TensorPrimitives.Divide(zRow, sum, zRow);
        }
    }
}
