using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Layers;

public sealed class SgdStepTests
{
    public static TheoryData<int[], ActivationKind, ActivationKind, string> Networks() => new()
    {
        { [784, 64, 32, 10], ActivationKind.Relu, ActivationKind.Softmax, "ce" }, // fused softmax + CE, large (aligned) weights
        { [3, 5, 4, 2], ActivationKind.Tanh, ActivationKind.Sigmoid, "se" }, // chain rule through the output activation
        { [4, 6, 1], ActivationKind.LeakyRelu, ActivationKind.Sigmoid, "bce" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Moves_the_parameters_like_compute_gradients_then_sgd(int[] sizes, ActivationKind hidden, ActivationKind output, string lossName)
    {
        Sequential<double> reference = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed: 9, Initializers.He);
        Sequential<double> fused = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed: 9, Initializers.He);
        ILoss<double> loss = lossName switch
        {
            "ce" => new CrossEntropy<double>(),
            "bce" => new BinaryCrossEntropy<double>(),
            _ => new SquaredError<double>(),
        };
        var sgd = new Sgd<double>(0.05);
        var random = new SeededRandom(4);
        const int batch = 16;
        var x = new Tensor<double>(batch, sizes[0]);
        Tensor<double> d = lossName == "ce" ? new Tensor<double>(new Shape(batch)) : new Tensor<double>(batch, sizes[^1]);
        for (int step = 0; step < 20; step++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.NextDouble() - 0.5;
            }

            for (int i = 0; i < d.Length; i++)
            {
                d[i] = lossName == "ce" ? random.NextInt(sizes[^1]) : random.NextDouble() < 0.5 ? 0 : 1;
            }

            double expected = reference.ComputeGradients(x, d, loss);
            sgd.Step(reference.Parameters);
            double actual = fused.SgdStep(x, d, loss, 0.05);
            Assert.Equal(expected, actual, 1e-12 * Math.Max(1, Math.Abs(expected)));
        }

        double[] a = [.. reference.Parameters.SelectMany(p => p.Value.ToArray())];
        double[] b = [.. fused.Parameters.SelectMany(p => p.Value.ToArray())];
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-12 * Math.Max(1, Math.Abs(a[i])));
        }
    }
}
