using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Tests.TestSupport;

/// <summary>
/// The tests' own numerical gradient, written apart from the library's <c>GradientCheck</c>: Richardson extrapolation
/// of the two-point central difference, <c>(4·D(h/2) − D(h)) / 3</c> with <c>D(h) = (E(w+h) − E(w−h)) / 2h</c>.
/// </summary>
internal static class IndependentGradient
{
    public static double[] Of(Sequential<double> network, Parameter<double> parameter, Func<double> loss, double h = 2e-3)
    {
        double[] values = parameter.Value.AsSpan().ToArray();
        var gradient = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double d1 = Difference(parameter, i, values[i], h, loss);
            double d2 = Difference(parameter, i, values[i], h / 2, loss);
            gradient[i] = ((4 * d2) - d1) / 3;
        }

        return gradient;
    }

    public static double[] Of(Sequential<double> network, Parameter<double> parameter, NDArray<double> x, NDArray<double> d, ILoss<double> loss) =>
        Of(network, parameter, () => loss.Compute(network.Forward(x), d));

    private static double Difference(Parameter<double> parameter, int index, double original, double h, Func<double> loss)
    {
        parameter.Value[index] = original + h;
        double plus = loss();
        parameter.Value[index] = original - h;
        double minus = loss();
        parameter.Value[index] = original;
        return (plus - minus) / (2 * h);
    }
}
