using NeuralSharp.Activations;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// The output of the course's notebook 3_1 as it is written: the forward pass is the sigmoid, <c>y = σ(u)</c>, but its
/// δ multiplies by <c>d_sigmoid(y)</c> = σ(y)(1 − σ(y)), the derivative evaluated at the output instead of at u (which
/// would be y(1 − y)). The network still learns the sums; the experiment reproduces it to match the notebook number
/// for number. It lives with the experiment: the library's sigmoid has the right derivative.
/// </summary>
internal sealed class SigmoidWithDerivativeAtOutput : IElementwiseActivation<double>
{
    private static readonly Sigmoid<double> s_sigmoid = new();

    /// <summary>The forward pass is the sigmoid's (traces and tables name it so).</summary>
    public ActivationKind Kind => ActivationKind.Sigmoid;

    public void Forward(ReadOnlySpan<double> u, Span<double> z, int columns) => s_sigmoid.Forward(u, z, columns);

    public void Backward(ReadOnlySpan<double> u, ReadOnlySpan<double> z, ReadOnlySpan<double> dz, Span<double> du, int columns)
    {
        Derivative(u, z, du);
        for (int i = 0; i < dz.Length; i++)
        {
            du[i] *= dz[i];
        }
    }

    public void Derivative(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Span<double> derivative)
    {
        for (int i = 0; i < z.Length; i++)
        {
            // d_sigmoid(y) = σ(y)(1 − σ(y)), as the notebook computes it
            double s = 1 / (1 + Math.Exp(-z[i]));
            derivative[i] = s * (1 - s);
        }
    }
}
