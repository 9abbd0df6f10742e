using NeuralSharp.Activations;
using NeuralSharp.Layers;

namespace NeuralSharp.Tests.TestSupport;

/// <summary>The literal weights of the course notebooks (1_1 forward propagation, 1_2 backpropagation).</summary>
internal static class CourseNetworks
{
    public static readonly double[,] W1 = { { 0.1, 0.3, 0.5 }, { 0.2, 0.4, 0.6 } };
    public static readonly double[] B1 = [0.1, 0.2, 0.3];
    public static readonly double[,] W2 = { { 0.1, 0.4 }, { 0.2, 0.5 }, { 0.3, 0.6 } };
    public static readonly double[] B2 = [0.1, 0.2];

    public static Dense<double> Dense(double[,] w, double[] b) => new(NDArray.FromArray(w), NDArray.Vector(b));

    public static ActivationLayer<double> Activation(ActivationKind kind) => new(kind);

    /// <summary>The 2-3-2 network: W1, b1, ReLU, W2, b2, then the given output activation.</summary>
    public static Sequential<double> TwoThreeTwo(ActivationKind output) =>
        new(Dense(W1, B1), Activation(ActivationKind.Relu), Dense(W2, B2), Activation(output));
}
