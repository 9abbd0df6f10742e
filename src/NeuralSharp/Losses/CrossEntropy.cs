using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Losses;

/// <summary>
/// Cross entropy, the course's <c>cross_entropy_error</c>: <c>E = −(1/batch) Σ_n Σ_k d_nk · log(y_nk + ε)</c>, with
/// targets one-hot (or probabilities) shaped like y, or as class indices <c>[batch]</c>. The multi-class loss.
/// </summary>
/// <remarks>
/// The guard ε = 1e-7 keeps <c>log(0)</c> from being −∞ when a probability underflows.
/// Gradient: <c>∂E/∂y = −d / (y + ε) / batch</c>; fused with softmax: <c>∂E/∂u = (y − d) / batch</c>.
/// With class weights w (PyTorch's <c>weight</c>) each row counts ω_n = Σ_k d_nk·w_k — its class's weight — and the mean
/// is a weighted one: <c>E = −Σ_n ω_n Σ_k d_nk log(y_nk + ε) / Σ_n ω_n</c>; the gradients scale each row by ω_n / Σ ω the same way.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CrossEntropy<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RowWeights<T>? _weights;

    /// <summary>Creates the loss with the guard ε inside the log (the course's 1e-7; 0 for the exact function), and optionally a weight per class.</summary>
    /// <exception cref="ArgumentException">A class weight is not a finite number above 0.</exception>
    public CrossEntropy(double epsilon = 1e-7, IReadOnlyList<double>? classWeights = null)
    {
        Epsilon = T.CreateChecked(epsilon);
        _weights = classWeights is null ? null : new RowWeights<T>(classWeights);
    }

    /// <summary>The guard added inside the log.</summary>
    public T Epsilon { get; }

    /// <summary>Each class's weight in the mean, or null for a plain mean over the rows.</summary>
    public IReadOnlyList<double>? ClassWeights => _weights?.Weights;

    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <inheritdoc />
    public ActivationKind? FusedActivation => ActivationKind.Softmax;

    /// <inheritdoc />
    public T Compute(NDArray<T> y, NDArray<T> d)
    {
        bool indices = Targets.AreClassIndices(y, d, "Cross entropy", allowIndices: true);
        int batch = y.Rows, columns = y.Columns;
        _weights?.Check(columns, "Cross entropy");
        T sum = T.Zero;
        for (int row = 0; row < batch; row++)
        {
            T rowSum = T.Zero;
            for (int column = 0; column < columns; column++)
            {
                T target = Targets.At(d, indices, row, column, columns);
                if (target != T.Zero)
                {
                    // d · log(y + ε), the guard never lifting a probability past 1 (a saturated softmax, y = 1, would
                    // otherwise give log(1 + ε) > 0 and a negative loss)
                    rowSum += target * T.Log(T.Min(y[(row * columns) + column] + Epsilon, T.One));
                }
            }

            sum += _weights is null ? rowSum : _weights.Of(d, indices, row, columns) * rowSum;
        }

        return -sum / (_weights?.Total(d, indices, batch, columns) ?? T.CreateChecked(batch));
    }

    /// <inheritdoc />
    public void Gradient(NDArray<T> y, NDArray<T> d, NDArray<T> dy)
    {
        bool indices = Targets.AreClassIndices(y, d, "Cross entropy", allowIndices: true);
        int batch = y.Rows, columns = y.Columns;
        _weights?.Check(columns, "Cross entropy");
        T inverseTotal = T.One / (_weights?.Total(d, indices, batch, columns) ?? T.CreateChecked(batch));
        for (int row = 0; row < batch; row++)
        {
            T scale = _weights is null ? inverseTotal : _weights.Of(d, indices, row, columns) * inverseTotal;
            for (int column = 0; column < columns; column++)
            {
                int i = (row * columns) + column;
                // ∂E/∂y = −d / (y + ε) / batch (× ω_n·batch/Σω with class weights)
                dy[i] = -Targets.At(d, indices, row, column, columns) / (y[i] + Epsilon) * scale;
            }
        }
    }

    /// <inheritdoc />
    public void FusedDelta(NDArray<T> y, NDArray<T> d, NDArray<T> delta)
    {
        bool indices = Targets.AreClassIndices(y, d, "Cross entropy", allowIndices: true);
        FusedOutputDelta.Compute(y, d, delta, indices);
        _weights?.Check(y.Columns, "Cross entropy");
        _weights?.Scale(delta, d, indices);
    }
}
