using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;
using Xunit.Abstractions;

namespace NeuralSharp.Tests.Training;

/// <summary>Seeded training on the built-in data sets, measured on a held-out test split.</summary>
public sealed class RealDataTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("iris", 0.95)]
    [InlineData("breast-cancer", 0.95)]
    [InlineData("digits", 0.95)]
    public void Classifies_held_out_data(string name, double required)
    {
        (Sequential<float> net, Dataset test, ILoss<float> loss) = Train(name, hidden: [32], epochs: 60);
        double accuracy = Metrics.Evaluate(net, test.FeatureTensor<float>(), test.TargetTensor<float>(), loss).Metric;
        output.WriteLine($"{name}: test accuracy {accuracy:F4}");
        Assert.True(accuracy >= required, $"{name} test accuracy {accuracy:F4} < {required}");
    }

    [Fact]
    public void Diabetes_regression_explains_40_percent_of_the_variance()
    {
        Dataset data = BuiltInDatasets.Load("diabetes");
        (Dataset train, Dataset test) = data.Split(0.2, seed: 1);
        Standardizer scaler = Standardizer.Fit(train);
        (double[] targetMean, double targetSigma) = (new[] { train.Targets.ToArray().Average() }, StandardDeviation(train.Targets.ToArray()));
        NDArray<float> Scaled(Dataset set) => NDArray.Convert<double, float>(new NDArray<double>(new Shape(set.Count, 1),
            [.. set.Targets.ToArray().Select(t => (t - targetMean[0]) / targetSigma)]));
        Sequential<float> net = NetworkBuilder<float>.FromSizes([10, 16, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 3);
        var trainer = new Trainer<float>(net, new SquaredError<float>(), new Adam<float>(0.01) { WeightDecay = 1e-3 },
            new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 32, Epochs = 60, Seed = 5 });
        trainer.Fit(scaler.Transform(train).FeatureTensor<float>(), Scaled(train));

        float[] predicted = net.Forward(scaler.Transform(test).FeatureTensor<float>()).ToArray();
        double[] y = [.. predicted.Select(p => (p * targetSigma) + targetMean[0])];
        double r2 = Metrics.RSquared(y, test.Targets);
        output.WriteLine($"diabetes: test R² {r2:F4}");
        Assert.True(r2 >= 0.40, $"diabetes test R² {r2:F4} < 0.40");
    }

    [Fact]
    public void Mnist_with_the_course_recipe_reaches_85_percent()
    {
        // notebook 1_4_1: 784-40-10, W = 0.01·randn, batch 100 drawn at random, lr 0.1, 1,000 steps
        (Dataset train, Dataset test) = MnistSplit();
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 40, 10], ActivationKind.Relu, ActivationKind.Softmax, seed: 1, new Normal(0.01));
        var trainer = new Trainer<float>(net, new CrossEntropy<float>(), new Sgd<float>(0.1),
            new TrainingOptions { Mode = DescentMode.Stochastic, BatchSize = 100, Steps = 1000, Seed = 2 });
        trainer.Fit(train.FeatureTensor<float>(), train.TargetTensor<float>());
        double accuracy = Metrics.Evaluate(net, test.FeatureTensor<float>(), test.TargetTensor<float>(), new CrossEntropy<float>()).Metric;
        output.WriteLine($"mnist course recipe: test accuracy {accuracy:F4}");
        Assert.True(accuracy >= 0.85, $"MNIST course recipe test accuracy {accuracy:F4} < 0.85");
    }

    [Fact]
    public void Mnist_with_he_adam_and_a_wider_layer_reaches_93_percent()
    {
        (Dataset train, Dataset test) = MnistSplit();
        Sequential<float> net = NetworkBuilder<float>.FromSizes([784, 200, 10], ActivationKind.Relu, ActivationKind.Softmax, seed: 1, Initializers.He);
        var trainer = new Trainer<float>(net, new CrossEntropy<float>(), new Adam<float>(0.001),
            new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 100, Epochs = 12, Seed = 2 });
        trainer.Fit(train.FeatureTensor<float>(), train.TargetTensor<float>());
        double accuracy = Metrics.Evaluate(net, test.FeatureTensor<float>(), test.TargetTensor<float>(), new CrossEntropy<float>()).Metric;
        output.WriteLine($"mnist better recipe: test accuracy {accuracy:F4}");
        Assert.True(accuracy >= 0.93, $"MNIST better recipe test accuracy {accuracy:F4} < 0.93");
    }

    internal static (Dataset Train, Dataset Test) MnistSplit() => BuiltInDatasets.Load("mnist").Split(0.2, seed: 7);

    private static (Sequential<float> Net, Dataset Test, ILoss<float> Loss) Train(string name, int[] hidden, int epochs)
    {
        Dataset data = BuiltInDatasets.Load(name);
        (Dataset rawTrain, Dataset rawTest) = data.Split(0.2, seed: 1);
        Standardizer scaler = Standardizer.Fit(rawTrain);
        Dataset train = scaler.Transform(rawTrain), test = scaler.Transform(rawTest);
        TaskHead head = TaskHead.For(data);
        int[] sizes = [data.FeatureCount, .. hidden, head.OutputWidth];
        Sequential<float> net = NetworkBuilder<float>.FromSizes(sizes, ActivationKind.Relu, head.Output, seed: 3);
        ILoss<float> loss = head.CreateLoss<float>();
        var trainer = new Trainer<float>(net, loss, new Adam<float>(0.005),
            new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 32, Epochs = epochs, Seed = 5 });
        trainer.Fit(train.FeatureTensor<float>(), train.TargetTensor<float>());
        return (net, test, loss);
    }

    private static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
