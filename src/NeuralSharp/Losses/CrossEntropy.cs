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
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CrossEntropy<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss with the guard ε inside the log (the course's 1e-7; 0 for the exact function).</summary>
    public CrossEntropy(double epsilon = 1e-7) => Epsilon = T.CreateChecked(epsilon);

    /// <summary>The guard added inside the log.</summary>
    public T Epsilon { get; }

    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <inheritdoc />
    public ActivationKind? FusedActivation => ActivationKind.Softmax;

    /// <inheritdoc />
    public T Compute(NDArray<T> y, NDArray<T> d)
    {
        bool indices = Targets.AreClassIndices(y, d, "Cross entropy", allowIndices: true);
        int batch = y.Rows, columns = y.Columns;
        T sum = T.Zero;
        for (int row = 0; row < batch; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                T target = Targets.At(d, indices, row, column, columns);
                if (target != T.Zero)
                {
                    // d · log(y + ε), the guard never lifting a probability past 1 (a saturated softmax, y = 1, would
                    // otherwise give log(1 + ε) > 0 and a negative loss)
                    sum += target * T.Log(T.Min(y[(row * columns) + column] + Epsilon, T.One));
                }
            }
        }

        return -sum / T.CreateChecked(batch);
    }

    /// <inheritdoc />
    public void Gradient(NDArray<T> y, NDArray<T> d, NDArray<T> dy)
    {
        bool indices = Targets.AreClassIndices(y, d, "Cross entropy", allowIndices: true);
        int batch = y.Rows, columns = y.Columns;
        T inverseBatch = T.One / T.CreateChecked(batch);
        for (int row = 0; row < batch; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int i = (row * columns) + column;
                // ∂E/∂y = −d / (y + ε) / batch
                dy[i] = -Targets.At(d, indices, row, column, columns) / (y[i] + Epsilon) * inverseBatch;
            }
        }
    }

    /// <inheritdoc />
    public void FusedDelta(NDArray<T> y, NDArray<T> d, NDArray<T> delta) =>
        FusedOutputDelta.Compute(y, d, delta, Targets.AreClassIndices(y, d, "Cross entropy", allowIndices: true));
}
