using System.Numerics;

namespace NeuralSharp;

/// <summary>
/// Creates tensors from literal values, the way the course writes <c>np.array([[0.1, 0.3], [0.2, 0.4]])</c>.
/// </summary>
public static class NDArray
{
    /// <summary>A matrix from a two-dimensional literal: <c>NDArray.FromArray(new[,] { { 0.1, 0.3 }, { 0.2, 0.4 } })</c>.</summary>
    public static NDArray<T> FromArray<T>(T[,] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var tensor = new NDArray<T>(rows, columns);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                tensor[r, c] = values[r, c];
            }
        }

        return tensor;
    }

    /// <summary>A vector (rank 1) from its values, e.g. a bias <c>b [out]</c> or class indices <c>[batch]</c>.</summary>
    public static NDArray<T> Vector<T>(params T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        return new NDArray<T>(new Shape(values.Length), (T[])values.Clone());
    }

    /// <summary>A batch of one sample, <c>[1, features]</c>, from its values.</summary>
    public static NDArray<T> Row<T>(params T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        return new NDArray<T>(new Shape(1, values.Length), (T[])values.Clone());
    }

    /// <summary>A copy of a tensor converted to another element type (e.g. float → double for a gradient check).</summary>
    public static NDArray<TTo> Convert<TFrom, TTo>(NDArray<TFrom> source)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom>
        where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new NDArray<TTo>(source.Shape);
        ReadOnlySpan<TFrom> from = source.AsSpan();
        Span<TTo> to = result.AsSpan();
        for (int i = 0; i < from.Length; i++)
        {
            to[i] = TTo.CreateChecked(from[i]);
        }

        return result;
    }
}
