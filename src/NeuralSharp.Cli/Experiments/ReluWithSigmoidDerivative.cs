using System.Numerics.Tensors;
using NeuralSharp.Activations;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// A reproduction, on request, of a slip in the course's distributed notebook 1_3 (<c>--preset course-colab</c>):
/// the forward pass uses ReLU, <c>z = max(0, u)</c>, but the backward pass multiplies by <c>d_sigmoid(z1)</c>,
/// <c>σ(z)(1 − σ(z))</c> evaluated on the ReLU's output, instead of ReLU's derivative. It still learns, more slowly.
/// It lives with the experiment that needs it: the library's ReLU has the correct gradient, and a model file refuses
/// this function (it is not the "relu" a file would name).
/// </summary>
internal sealed class ReluWithSigmoidDerivative : IElementwiseActivation<float>
{
    /// <summary>The forward pass is ReLU's (traces and tables name it so).</summary>
    public ActivationKind Kind => ActivationKind.Relu;

    public void Forward(ReadOnlySpan<float> u, Span<float> z, int columns) => TensorPrimitives.Max(u, 0f, z);

    public void Backward(ReadOnlySpan<float> u, ReadOnlySpan<float> z, ReadOnlySpan<float> dz, Span<float> du, int columns)
    {
        Derivative(u, z, du);
        // ∂L/∂u = ∂L/∂z · d_sigmoid(z), as the notebook computes it
        TensorPrimitives.Multiply(du[..dz.Length], dz, du);
    }

    public void Derivative(ReadOnlySpan<float> u, ReadOnlySpan<float> z, Span<float> derivative)
    {
        TensorPrimitives.Sigmoid(z, derivative);
        for (int i = 0; i < z.Length; i++)
        {
            // d_sigmoid(z) = σ(z)(1 − σ(z))
            derivative[i] *= 1f - derivative[i];
        }
    }
}
