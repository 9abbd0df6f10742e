using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Losses;

/// <summary>How <see cref="SquaredError{T}"/> turns the squared differences into one number.</summary>
public enum SquaredErrorReduction
{
    /// <summary>
    /// The course's <c>mean_squared_error</c>: <c>E = ½ · mean over all elements of (y − d)²</c>;
    /// <c>∂E/∂y = (y − d) / (batch · outputs)</c>.
    /// </summary>
    MeanOverElements,

    /// <summary>
    /// Deep Learning from Scratch's form, averaged over the batch: <c>E = (1/batch) Σ_samples ½ Σ_outputs (y − d)²</c>;
    /// <c>∂E/∂y = (y − d) / batch</c>. For one sample it is exactly <c>½ Σ (y − d)²</c>.
    /// </summary>
    SumPerSample,
}

/// <summary>
/// Squared error with the ½: <c>E = ½ (y − d)²</c>, reduced as <see cref="Reduction"/> says. The ½ cancels the 2
/// that differentiating the square brings down, leaving <c>∂E/∂y ∝ (y − d)</c>. The regression loss.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SquaredError<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss; the default reduction is the course's mean over all elements.</summary>
    public SquaredError(SquaredErrorReduction reduction = SquaredErrorReduction.MeanOverElements) => Reduction = reduction;

    /// <summary>Mean over all elements (the course) or sum per sample (Deep Learning from Scratch).</summary>
    public SquaredErrorReduction Reduction { get; }

    /// <inheritdoc />
    public string Name => "squared-error";

    /// <inheritdoc />
    public ActivationKind? FusedActivation => null;

    /// <inheritdoc />
    public T Compute(NDArray<T> y, NDArray<T> d)
    {
        Targets.AreClassIndices(y, d, "Squared error", allowIndices: false);
        ReadOnlySpan<T> yValues = y.AsSpan(), dValues = d.AsSpan();
        T sum = T.Zero;
        for (int i = 0; i < yValues.Length; i++)
        {
            T difference = yValues[i] - dValues[i];
            sum += difference * difference;
        }

        // E = ½ Σ (y − d)² / divisor
        return sum / (T.CreateChecked(2) * Divisor(y));
    }

    /// <inheritdoc />
    public void Gradient(NDArray<T> y, NDArray<T> d, NDArray<T> dy)
    {
        Targets.AreClassIndices(y, d, "Squared error", allowIndices: false);
        ReadOnlySpan<T> yValues = y.AsSpan(), dValues = d.AsSpan();
        Span<T> gradient = dy.AsSpan();
        T inverse = T.One / Divisor(y);
        for (int i = 0; i < yValues.Length; i++)
        {
            // ∂E/∂y = (y − d) / divisor
            gradient[i] = (yValues[i] - dValues[i]) * inverse;
        }
    }

    /// <inheritdoc />
    public void FusedDelta(NDArray<T> y, NDArray<T> d, NDArray<T> delta) =>
        throw new InvalidOperationException("Squared error has no fused output activation; use Gradient.");

    private T Divisor(NDArray<T> y) => T.CreateChecked(Reduction == SquaredErrorReduction.MeanOverElements ? y.Length : y.Rows);
}
