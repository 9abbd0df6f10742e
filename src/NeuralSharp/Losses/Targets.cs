using System.Numerics;

namespace NeuralSharp.Losses;

/// <summary>
/// How targets <c>d</c> are given for an output <c>y [batch, classes]</c>: the same shape (one-hot, probabilities or
/// values), or a vector <c>[batch]</c> of class indices 0…classes−1 (the course's label form).
/// </summary>
internal static class Targets
{
    /// <summary>True for class indices, false for a tensor shaped like y; throws for anything else.</summary>
    public static bool AreClassIndices<T>(NDArray<T> y, NDArray<T> d, string loss, bool allowIndices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(d);
        if (d.Shape == y.Shape)
        {
            return false;
        }

        if (allowIndices && d.Rank == 1 && y.Rank == 2 && d.Length == y.Rows)
        {
            ReadOnlySpan<T> labels = d.AsSpan();
            for (int i = 0; i < labels.Length; i++)
            {
                T label = labels[i];
                if (!T.IsInteger(label) || label < T.Zero || label >= T.CreateChecked(y.Columns))
                {
                    throw new ArgumentException(
                        $"{loss}: target at row {i} is {label}, not a class index in 0..{y.Columns - 1}.", nameof(d));
                }
            }

            return true;
        }

        string accepted = allowIndices ? $"{y.Shape} (one-hot) or [{y.Rows}] (class indices)" : $"{y.Shape} (the output's shape)";
        throw new ShapeMismatchException($"{loss} expects targets {accepted} but got {d.Shape}.");
    }

    /// <summary>The target for <c>y[row, column]</c>: 1 or 0 from a class index, else <c>d[row, column]</c>.</summary>
    public static T At<T>(NDArray<T> d, bool classIndices, int row, int column, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (classIndices)
        {
            return int.CreateTruncating(d[row]) == column ? T.One : T.Zero;
        }

        return d[(row * columns) + column];
    }
}
