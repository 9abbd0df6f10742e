using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Deep Learning from Scratch §6.4: 300 MNIST digits and a 7-layer network (six hidden layers of 100 ReLU units), SGD
/// (η = 0.01) in batches of 100 — with nothing, with weight decay λ = 0.1, and with dropout (0.15) — train and test
/// accuracy per epoch.
/// </summary>
internal sealed class OverfittingExperiment : IExperiment
{
    public string Name => "overfitting";

    public IReadOnlyList<string> Options => ["--steps"];

    public string Title(Labels labels) => labels.T("Overfitting, weight decay and dropout (§6.4)", "過学習、Weight decay と Dropout（6.4節）");

    public string Question(Labels labels) => labels.T(
        "A big network and little data: it learns the 300 training digits by heart while the test accuracy stalls far below. Weight decay (λ = 0.1) and dropout both narrow that gap.",
        "大きなネットワークと少ないデータ：300件の訓練データを丸暗記する一方、テスト正解率ははるかに低いまま止まる。Weight decay（λ = 0.1）と Dropout はどちらもその差を縮める。");

    public sealed record Outcome(string Label, double[] Train, double[] Test);

    public static Outcome Train(string label, double weightDecay, double dropout, int epochs, ulong seed)
    {
        var (_, _, testX, testD) = Mnist.Split();
        (NDArray<float> small, NDArray<float> labels) = Mnist.First(300);
        var builder = new NetworkBuilder<float>(784);
        for (int layer = 0; layer < 6; layer++)
        {
            builder.Dense(100, ActivationKind.Relu);
            if (dropout > 0)
            {
                builder.Dropout(dropout);
            }
        }

        Sequential<float> net = builder.Dense(10, ActivationKind.Softmax).Build(seed);
        var loss = new CrossEntropy<float>();
        var train = new List<double>();
        var test = new List<double>();
        var options = new TrainingOptions
        {
            Mode = DescentMode.MiniBatch, BatchSize = 100, Epochs = epochs, Seed = seed,
            Callbacks = [new EpochCallback(e =>
            {
                train.Add(Metrics.Evaluate(net, small, labels, loss).Metric);
                test.Add(e.ValidationMetric);
            })],
        };
        new Trainer<float>(net, loss, new Sgd<float>(0.01) { WeightDecay = weightDecay }, options).Fit(small, labels, testX, testD);
        return new Outcome(label, [.. train], [.. test]);
    }

    public static IReadOnlyList<Outcome> RunAll(int epochs, ulong seed) =>
        [Train("nothing", 0, 0, epochs, seed), Train("weight decay λ = 0.1", 0.1, 0, epochs, seed), Train("dropout 0.15", 0, 0.15, epochs, seed)];

    public void Run(ExperimentContext context)
    {
        int epochs = context.Settings.Steps is { } steps ? Math.Max(1, steps / 3) : 200;
        var series = new List<PlotFile.Series>();
        foreach (Outcome outcome in RunAll(epochs, context.Settings.Seed))
        {
            context.Output.Line($"{outcome.Label}: {context.Labels.T("train", "訓練")} {outcome.Train[^1]:F4}, {context.Labels.T("test", "テスト")} {outcome.Test[^1]:F4}, " +
                $"{context.Labels.T("gap", "差")} {outcome.Train[^1] - outcome.Test[^1]:F4}");
            double[] epochsAxis = [.. Enumerable.Range(1, outcome.Train.Length).Select(e => (double)e)];
            series.Add(new PlotFile.Series($"{outcome.Label} — {context.Labels.T("train", "訓練")}", epochsAxis, outcome.Train));
            series.Add(new PlotFile.Series($"{outcome.Label} — {context.Labels.T("test", "テスト")}", epochsAxis, outcome.Test));
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Train and test accuracy, 300 training digits", "訓練とテストの正解率（訓練データ300件）"), context.Labels.T("epoch", "エポック"),
            context.Labels.T("accuracy", "正解率"), series);
        context.Output.Plot(plot, context.Labels.T("the gap between train and test accuracy with nothing, weight decay and dropout", "何もしない場合、Weight decay、Dropout の訓練とテストの差"));
    }
}
