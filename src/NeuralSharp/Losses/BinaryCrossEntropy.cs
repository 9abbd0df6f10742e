using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Losses;

/// <summary>
/// Binary cross entropy for sigmoid outputs (each output an independent yes/no):
/// <c>E = −(1/batch) Σ [d · log(y + ε) + (1 − d) · log(1 − y + ε)]</c>, ε = 1e-7.
/// </summary>
/// <remarks>
/// Gradient: <c>∂E/∂y = −(d / (y + ε) − (1 − d) / (1 − y + ε)) / batch</c>; fused with sigmoid: <c>∂E/∂u = (y − d) / batch</c>.
/// With class weights [w₀, w₁] on one output each row counts ω_n = (1 − d_n)·w₀ + d_n·w₁, and the mean is a weighted one
/// (<c>Σ_n ω_n·E_n / Σ_n ω_n</c>), as for <see cref="CrossEntropy{T}"/>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BinaryCrossEntropy<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RowWeights<T>? _weights;

    /// <summary>Creates the loss with the guard ε inside the logs (1e-7 as the course; 0 for the exact function), and optionally the weights of the classes 0 and 1 of one output.</summary>
    /// <exception cref="ArgumentException">Not two weights, or one that is not a finite number above 0.</exception>
    public BinaryCrossEntropy(double epsilon = 1e-7, IReadOnlyList<double>? classWeights = null)
    {
        Epsilon = T.CreateChecked(epsilon);
        _weights = classWeights is null ? null
            : classWeights.Count == 2 ? new RowWeights<T>(classWeights, yesNo: true) : throw new ArgumentException("Binary cross entropy takes two class weights (classes 0 and 1 of one output).", nameof(classWeights));
    }

    /// <summary>The guard added inside the logs.</summary>
    public T Epsilon { get; }

    /// <summary>The weights of the classes 0 and 1 in the mean, or null for a plain mean over the rows.</summary>
    public IReadOnlyList<double>? ClassWeights => _weights?.Weights;

    /// <inheritdoc />
    public string Name => "binary-cross-entropy";

    /// <inheritdoc />
    public ActivationKind? FusedActivation => ActivationKind.Sigmoid;

    /// <inheritdoc />
    public T Compute(NDArray<T> y, NDArray<T> d)
    {
        Targets.AreClassIndices(y, d, "Binary cross entropy", allowIndices: false);
        _weights?.Check(y.Columns == 1 ? 2 : -1, "Binary cross entropy");
        ReadOnlySpan<T> yValues = y.AsSpan(), dValues = d.AsSpan();
        T sum = T.Zero;
        for (int i = 0; i < yValues.Length; i++)
        {
            // d · log(y + ε) + (1 − d) · log(1 − y + ε); a zero weight skips its log
            T target = dValues[i], term = T.Zero;
            if (target != T.Zero)
            {
                // the guard never lifts a probability past 1 (the loss stays ≥ 0 when y saturates)
                term += target * T.Log(T.Min(yValues[i] + Epsilon, T.One));
            }

            if (target != T.One)
            {
                term += (T.One - target) * T.Log(T.Min(T.One - yValues[i] + Epsilon, T.One));
            }

            // one output (the weights are checked for it): element i is row i
            sum += _weights is null ? term : _weights.Of(d, indices: false, i, 1) * term;
        }

        return -sum / (_weights?.Total(d, indices: false, y.Rows, 1) ?? T.CreateChecked(y.Rows));
    }

    /// <inheritdoc />
    public void Gradient(NDArray<T> y, NDArray<T> d, NDArray<T> dy)
    {
        Targets.AreClassIndices(y, d, "Binary cross entropy", allowIndices: false);
        ReadOnlySpan<T> yValues = y.AsSpan(), dValues = d.AsSpan();
        Span<T> gradient = dy.AsSpan();
        _weights?.Check(y.Columns == 1 ? 2 : -1, "Binary cross entropy");
        T inverseTotal = T.One / (_weights?.Total(d, indices: false, y.Rows, 1) ?? T.CreateChecked(y.Rows));
        for (int i = 0; i < yValues.Length; i++)
        {
            // ∂E/∂y = −(d / (y + ε) − (1 − d) / (1 − y + ε)) / batch (× ω_n·batch/Σω with class weights)
            T target = dValues[i], scale = _weights is null ? inverseTotal : _weights.Of(d, indices: false, i, 1) * inverseTotal;
            gradient[i] = -((target / (yValues[i] + Epsilon)) - ((T.One - target) / (T.One - yValues[i] + Epsilon))) * scale;
        }
    }

    /// <inheritdoc />
    public void FusedDelta(NDArray<T> y, NDArray<T> d, NDArray<T> delta)
    {
        Targets.AreClassIndices(y, d, "Binary cross entropy", allowIndices: false);
        FusedOutputDelta.Compute(y, d, delta, classIndices: false);
        _weights?.Check(y.Columns == 1 ? 2 : -1, "Binary cross entropy");
        _weights?.Scale(delta, d, indices: false);
    }
}
