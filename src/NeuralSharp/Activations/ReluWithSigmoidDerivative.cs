using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Activations;

/// <summary>
/// A reproduction, on request, of a slip in the course's distributed notebook 1_3 (<c>--preset course-colab</c>):
/// the forward pass uses ReLU, <c>z = max(0, u)</c>, but the backward pass multiplies by <c>d_sigmoid(z1)</c>,
/// <c>σ(z)(1 − σ(z))</c> evaluated on the ReLU's output, instead of ReLU's derivative. It still learns, more
/// slowly; use <see cref="Relu{T}"/> for the correct gradient.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ReluWithSigmoidDerivative<T> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public ActivationKind Kind => ActivationKind.Relu;

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns) => TensorPrimitives.Max(u, T.Zero, z);

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns)
    {
        Derivative(u, z, du);
        // ∂L/∂u = ∂L/∂z · d_sigmoid(z), as the notebook computes it
        TensorPrimitives.Multiply(du[..dz.Length], dz, du);
    }

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        TensorPrimitives.Sigmoid(z, derivative);
        for (int i = 0; i < z.Length; i++)
        {
            // d_sigmoid(z) = σ(z)(1 − σ(z))
            derivative[i] *= T.One - derivative[i];
        }
    }
}
