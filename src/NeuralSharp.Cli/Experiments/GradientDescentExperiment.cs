using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>Batch, stochastic, mini-batch and online gradient descent on one problem: loss against samples seen.</summary>
internal sealed class GradientDescentExperiment : IExperiment
{
    private const int Samples = 1000;
    private const int Passes = 20;

    public string Name => "gradient-descent";

    public string Title(Labels labels) => labels.T("Four ways to descend", "勾配降下法の4つの形");

    public string Question(Labels labels) => labels.T(
        "Batch gradient descent averages the error over all samples before each update; SGD updates on one random sample; mini-batch on a few; online learning on each sample as it arrives, never storing the data. For the same number of samples seen, more (noisier) updates usually get further.",
        "バッチ勾配降下法は全データの誤差の平均で1回更新、SGD は無作為な1件、ミニバッチは数件ごと、オンライン学習は届いた1件ごとに更新しデータを保存しない。同じデータ数なら更新回数の多い方が速く進むことが多い。");

    public void Run(ExperimentContext context)
    {
        ulong seed = context.Settings.Seed;
        Dataset data = Generators.CourseRegression(Samples, seed);
        NDArray<float> x = data.FeatureTensor<float>(), d = data.TargetTensor<float>();
        var loss = new SquaredError<float>();
        var series = new List<PlotFile.Series>
        {
            Fit("batch (full)", DescentMode.FullBatch, 1, 0.2f, x, d, seed),
            Fit("SGD (1 sample)", DescentMode.Stochastic, 1, 0.02f, x, d, seed),
            Fit("mini-batch (32)", DescentMode.MiniBatch, 32, 0.1f, x, d, seed),
            Online(x, d, loss, seed),
        };
        foreach (PlotFile.Series s in series)
        {
            context.Output.Line($"{s.Label}: {context.Labels.T("loss after", "誤差")} {Samples * Passes:N0} {context.Labels.T("samples seen", "件を見た後")} = {s.Y[^1]:G4}");
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Loss against samples seen", "見たデータ数と誤差"), context.Labels.Axis("samples seen"), context.Labels.Axis("loss"), series, logY: true);
        context.Output.Plot(plot, "batch / SGD / mini-batch / online");
    }

    private static PlotFile.Series Fit(string label, DescentMode mode, int batch, float rate, NDArray<float> x, NDArray<float> d, ulong seed)
    {
        Sequential<float> net = Network(seed);
        var points = new List<(double Seen, double Loss)> { (0, net.Loss(x, d, new SquaredError<float>())) };
        var options = new TrainingOptions
        {
            Mode = mode, BatchSize = batch, Epochs = Passes, Seed = seed,
            StepsPerEpoch = mode == DescentMode.Stochastic ? Samples : null,
            Callbacks = [new EpochCallback(e => points.Add((e.Epoch * (double)Samples, e.ValidationLoss)))],
        };
        new Trainer<float>(net, new SquaredError<float>(), new Sgd<float>(rate), options).Fit(x, d, x, d);
        return new PlotFile.Series(label, [.. points.Select(p => p.Seen)], [.. points.Select(p => p.Loss)]);
    }

    private static PlotFile.Series Online(NDArray<float> x, NDArray<float> d, SquaredError<float> loss, ulong seed)
    {
        // a stream of fresh samples from the same source, each learned once as it arrives
        Sequential<float> net = Network(seed);
        var learner = new OnlineLearner<float>(net, loss, new Sgd<float>(0.02f));
        Dataset stream = Generators.CourseRegression(Samples * Passes, seed + 100);
        var points = new List<(double, double)> { (0, net.Loss(x, d, loss)) };
        for (int i = 0; i < stream.Count; i++)
        {
            learner.Learn([.. stream.FeatureRow(i).ToArray().Select(v => (float)v)], [(float)stream.Targets[i]]);
            if ((i + 1) % Samples == 0)
            {
                points.Add((i + 1, net.Loss(x, d, loss)));
            }
        }

        return new PlotFile.Series("online (stream)", [.. points.Select(p => p.Item1)], [.. points.Select(p => p.Item2)]);
    }

    private static Sequential<float> Network(ulong seed) =>
        NetworkBuilder<float>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed, Initializers.StandardNormal);
}
