using System.Globalization;
using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>The report's animals: seven measurements → probabilities of dog, cat and mouse.</summary>
internal sealed class AnimalsExperiment : IExperiment
{
    public string Name => "animals";

    public string Title(Labels labels) => labels.T("Dog, cat or mouse?", "犬・猫・ネズミの分類");

    public string Question(Labels labels) => labels.T(
        "How does a network give class probabilities? Seven measurements of an animal go in; a softmax output turns three totals into probabilities of dog, cat and mouse that sum to 1, trained with cross entropy.",
        "ネットワークはどのようにクラスの確率を出すか。動物の7つの計測値を入力し、出力層のソフトマックスが3つの総入力を合計1の確率（犬・猫・ネズミ）に変える。交差エントロピーで学習する。");

    public void Run(ExperimentContext context)
    {
        Labels l = context.Labels;
        Dataset animals = AnimalsGenerator.Create(3000, context.Settings.Seed);
        (Dataset rawTrain, Dataset rawTest) = animals.Split(0.2, context.Settings.Seed);
        Standardizer scaler = Standardizer.Fit(rawTrain);
        Dataset train = scaler.Transform(rawTrain), test = scaler.Transform(rawTest);
        Sequential<float> net = NetworkBuilder<float>.FromSizes([7, 10, 3], ActivationKind.Relu, ActivationKind.Softmax, context.Settings.Seed);
        var loss = new CrossEntropy<float>();
        new Trainer<float>(net, loss, new Adam<float>(0.01), new TrainingOptions { Epochs = 30, BatchSize = 32, Seed = context.Settings.Seed })
            .Fit(train.FeatureTensor<float>(), train.TargetTensor<float>());
        double accuracy = Metrics.Evaluate(net, test.FeatureTensor<float>(), test.TargetTensor<float>(), loss).Metric;
        context.Output.Line($"{l.T("network", "ネットワーク")} 7-10-3 (ReLU, softmax); {l.T("test accuracy", "テスト正解率")} {accuracy:F4} ({test.Count} {l.T("animals", "匹")})");
        string[] names = l.Japanese ? ["犬", "猫", "ネズミ"] : ["dog", "cat", "mouse"];
        double[][] examples = [AnimalsGenerator.Typical(0), AnimalsGenerator.Typical(1), AnimalsGenerator.Typical(2), [30, 5, 6, 2.5, 6, 0.5, 20]];
        foreach (double[] animal in examples)
        {
            double[] scaled = [.. animal];
            scaler.Transform(scaled);
            NDArray<float> y = net.Forward(new NDArray<float>(new Shape(1, 7), [.. scaled.Select(v => (float)v)]));
            string features = string.Join(", ", animal.Select((v, j) => $"{AnimalsGenerator.FeatureNames[j]}={v.ToString("G4", CultureInfo.InvariantCulture)}"));
            string probabilities = string.Join(", ", names.Select((n, c) => $"{n} {y[c]:F3}"));
            context.Output.Line($"{features}\n  → {probabilities}");
        }
    }
}
