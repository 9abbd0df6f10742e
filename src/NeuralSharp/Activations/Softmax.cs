using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>
/// Softmax, row by row: <c>z_j = e^(u_j − max u) / Σ_k e^(u_k − max u)</c>. Subtracting the row maximum changes
/// nothing mathematically and keeps <c>e^x</c> from overflowing (softmax of [1000, 0, −1000] is [1, 0, 0]).
/// </summary>
/// <remarks>
/// Backward, per row: <c>∂L/∂u_j = z_j (∂L/∂z_j − Σ_k ∂L/∂z_k · z_k)</c>. Paired with cross entropy the two fuse into
/// <c>(y − d) / batch</c>, which the network uses instead (see <see cref="Losses.CrossEntropy{T}"/>).
/// </remarks>
public sealed class Softmax<T> : IActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Softmax;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => RowOps.Softmax(u, z, columns);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns)
    {
        for (int start = 0; start + columns <= z.Length && columns > 0; start += columns)
        {
            ReadOnlySpan<T> zRow = z.Slice(start, columns);
            ReadOnlySpan<T> dzRow = dz.Slice(start, columns);
            Span<T> duRow = du.Slice(start, columns);
            // Σ_k ∂L/∂z_k · z_k
            T weighted = TensorPrimitives.Dot(dzRow, zRow);
            // ∂L/∂u_j = z_j (∂L/∂z_j − Σ_k ∂L/∂z_k · z_k)
            TensorPrimitives.Subtract(dzRow, weighted, duRow);
            TensorPrimitives.Multiply(duRow, zRow, duRow);
        }
    }
}
