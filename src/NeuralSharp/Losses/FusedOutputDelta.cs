using System.Numerics;

namespace NeuralSharp.Losses;

/// <summary>
/// The fused output gradients of Deep Learning from Scratch's <c>SoftmaxWithLoss</c> and <c>SigmoidWithLoss</c>:
/// for softmax followed by cross entropy, and for sigmoid followed by binary cross entropy, the chain rule through
/// both collapses to <c>∂E/∂u = (y − d) / batch</c>.
/// </summary>
/// <remarks>
/// This is the exact gradient of the loss without the <c>+1e-7</c> guard inside the log; with the guard the two
/// differ by a relative amount of about <c>1e-7 / y</c>.
/// </remarks>
public static class FusedOutputDelta
{
    /// <summary>Writes <c>delta = (y − d) / batch</c>; d is shaped like y, or holds class indices <c>[batch]</c>.</summary>
    public static void Compute<T>(NDArray<T> y, NDArray<T> d, NDArray<T> delta, bool classIndices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(delta);
        int batch = y.Rows, columns = y.Columns;
        T inverseBatch = T.One / T.CreateChecked(batch);
        ReadOnlySpan<T> yValues = y.AsSpan();
        Span<T> deltaValues = delta.AsSpan();
        for (int row = 0; row < batch; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int i = (row * columns) + column;
                // δ = (y − d) / batch
                deltaValues[i] = (yValues[i] - Targets.At(d, classIndices, row, column, columns)) * inverseBatch;
            }
        }
    }
}
