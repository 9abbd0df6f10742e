using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Losses;

/// <summary>
/// Binary cross entropy for sigmoid outputs (each output an independent yes/no):
/// <c>E = −(1/batch) Σ [d · log(y + ε) + (1 − d) · log(1 − y + ε)]</c>, ε = 1e-7.
/// </summary>
/// <remarks>
/// Gradient: <c>∂E/∂y = −(d / (y + ε) − (1 − d) / (1 − y + ε)) / batch</c>; fused with sigmoid: <c>∂E/∂u = (y − d) / batch</c>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BinaryCrossEntropy<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss with the guard ε inside the logs (1e-7 as the course; 0 for the exact function).</summary>
    public BinaryCrossEntropy(double epsilon = 1e-7) => Epsilon = T.CreateChecked(epsilon);

    /// <summary>The guard added inside the logs.</summary>
    public T Epsilon { get; }

    /// <inheritdoc />
    public string Name => "binary-cross-entropy";

    /// <inheritdoc />
    public ActivationKind? FusedActivation => ActivationKind.Sigmoid;

    /// <inheritdoc />
    public T Compute(NDArray<T> y, NDArray<T> d)
    {
        Targets.AreClassIndices(y, d, "Binary cross entropy", allowIndices: false);
        ReadOnlySpan<T> yValues = y.AsSpan(), dValues = d.AsSpan();
        T sum = T.Zero;
        for (int i = 0; i < yValues.Length; i++)
        {
            // d · log(y + ε) + (1 − d) · log(1 − y + ε); a zero weight skips its log
            T target = dValues[i];
            if (target != T.Zero)
            {
                // the guard never lifts a probability past 1 (the loss stays ≥ 0 when y saturates)
                sum += target * T.Log(T.Min(yValues[i] + Epsilon, T.One));
            }

            if (target != T.One)
            {
                sum += (T.One - target) * T.Log(T.Min(T.One - yValues[i] + Epsilon, T.One));
            }
        }

        return -sum / T.CreateChecked(y.Rows);
    }

    /// <inheritdoc />
    public void Gradient(NDArray<T> y, NDArray<T> d, NDArray<T> dy)
    {
        Targets.AreClassIndices(y, d, "Binary cross entropy", allowIndices: false);
        ReadOnlySpan<T> yValues = y.AsSpan(), dValues = d.AsSpan();
        Span<T> gradient = dy.AsSpan();
        T inverseBatch = T.One / T.CreateChecked(y.Rows);
        for (int i = 0; i < yValues.Length; i++)
        {
            // ∂E/∂y = −(d / (y + ε) − (1 − d) / (1 − y + ε)) / batch
            T target = dValues[i];
            gradient[i] = -((target / (yValues[i] + Epsilon)) - ((T.One - target) / (T.One - yValues[i] + Epsilon))) * inverseBatch;
        }
    }

    /// <inheritdoc />
    public void FusedDelta(NDArray<T> y, NDArray<T> d, NDArray<T> delta)
    {
        Targets.AreClassIndices(y, d, "Binary cross entropy", allowIndices: false);
        FusedOutputDelta.Compute(y, d, delta, classIndices: false);
    }
}
