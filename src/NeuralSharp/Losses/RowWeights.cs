using System.Numerics;

namespace NeuralSharp.Losses;

/// <summary>
/// Class weights in a cross entropy (PyTorch's <c>weight</c>, scikit-learn's <c>class_weight</c>): each row of the batch
/// counts ω_n — its class's weight, Σ_k d_nk·w_k for one-hot or soft targets — and the loss is the weighted mean
/// <c>Σ_n ω_n·E_n / Σ_n ω_n</c>, so a rare class weighs as much as a common one when w is the inverse of the classes' shares.
/// </summary>
internal sealed class RowWeights<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weights;

    // the classes 0 and 1 of one yes/no output (a sigmoid's): a row's weight is (1 − d)·w₀ + d·w₁
    private readonly bool _yesNo;

    /// <summary>One weight per class; <paramref name="yesNo"/> for the two classes of one sigmoid output.</summary>
    public RowWeights(IReadOnlyList<double> weights, bool yesNo = false)
    {
        if (weights.Count == 0 || !weights.All(w => double.IsFinite(w) && w > 0))
        {
            throw new ArgumentException("Class weights are finite numbers above 0, one per class.", nameof(weights));
        }

        Weights = [.. weights];
        _weights = [.. weights.Select(T.CreateChecked)];
        _yesNo = yesNo;
    }

    public IReadOnlyList<double> Weights { get; }

    /// <summary>Refuses an output of other than one weight's worth of classes (<paramref name="classes"/> −1: an output the weights cannot describe).</summary>
    public void Check(int classes, string loss)
    {
        if (classes != _weights.Length)
        {
            throw new ShapeMismatchException($"{loss} has {_weights.Length} class weights for an output of {(classes < 0 ? "several independent yes/no outputs" : $"{classes} classes")}.");
        }
    }

    /// <summary>ω_n: the weight of row <paramref name="row"/>'s class.</summary>
    public T Of(NDArray<T> d, bool indices, int row, int columns)
    {
        if (_yesNo)
        {
            return ((T.One - d[row]) * _weights[0]) + (d[row] * _weights[1]);
        }

        if (indices)
        {
            return _weights[int.CreateTruncating(d[row])];
        }

        T weight = T.Zero;
        for (int column = 0; column < columns; column++)
        {
            weight += d[(row * columns) + column] * _weights[column];
        }

        return weight;
    }

    /// <summary>Σ_n ω_n over the batch.</summary>
    public T Total(NDArray<T> d, bool indices, int batch, int columns)
    {
        T total = T.Zero;
        for (int row = 0; row < batch; row++)
        {
            total += Of(d, indices, row, columns);
        }

        return total;
    }

    /// <summary>(y − d)/batch, as the fused delta holds it, to ω_n·(y − d)/Σω.</summary>
    public void Scale(NDArray<T> delta, NDArray<T> d, bool indices)
    {
        int batch = delta.Rows, columns = delta.Columns;
        T factor = T.CreateChecked(batch) / Total(d, indices, batch, columns);
        Span<T> values = delta.AsSpan();
        for (int row = 0; row < batch; row++)
        {
            T scale = Of(d, indices, row, columns) * factor;
            foreach (ref T value in values.Slice(row * columns, columns))
            {
                value *= scale;
            }
        }
    }
}
