using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>What the MNIST exercises share: the 10k set split 8,000 / 2,000, and a run that records accuracy.</summary>
internal static class Mnist
{
    private static (NDArray<float> X, NDArray<float> D, NDArray<float> TestX, NDArray<float> TestD)? _split;

    public static (NDArray<float> X, NDArray<float> D, NDArray<float> TestX, NDArray<float> TestD) Split()
    {
        if (_split is null)
        {
            (Dataset train, Dataset test) = BuiltInDatasets.Load("mnist").Split(0.2, seed: 7);
            _split = (train.FeatureTensor<float>(), train.TargetTensor<float>(), test.FeatureTensor<float>(), test.TargetTensor<float>());
        }

        return _split.Value;
    }

    /// <summary>The first <paramref name="count"/> training digits and their labels: the small sets of Deep Learning from Scratch §6.3–6.4.</summary>
    public static (NDArray<float> X, NDArray<float> D) First(int count)
    {
        var (x, d, _, _) = Split();
        return (new NDArray<float>(new Shape(count, x.Columns), x.AsSpan()[..(count * x.Columns)].ToArray()), new NDArray<float>(new Shape(count), d.AsSpan()[..count].ToArray()));
    }

    public sealed record Run(string Label, List<double> Steps, List<double> TrainAccuracy, List<double> TestAccuracy, List<double> Loss);

    /// <summary>
    /// Trains with random batches of 100 (the course's <c>np.random.choice</c>), measuring train and test accuracy every
    /// <paramref name="every"/> steps.
    /// </summary>
    public static Run Train(string label, Sequential<float> net, IOptimizer<float> optimizer, int steps, int every, ulong seed, ExperimentContext? context = null)
    {
        var (x, d, testX, testD) = Split();
        var loss = new CrossEntropy<float>();
        var run = new Run(label, [], [], [], []);
        var options = new TrainingOptions
        {
            Mode = DescentMode.Stochastic, BatchSize = 100, Steps = steps, StepsPerEpoch = every, Seed = seed,
            Callbacks = [new EpochCallback(e =>
            {
                run.Steps.Add(e.Steps);
                run.Loss.Add(e.TrainLoss);
                run.TestAccuracy.Add(e.ValidationMetric);
                run.TrainAccuracy.Add(Metrics.Evaluate(net, x, d, loss).Metric);
                context?.Progress(label, e.Steps, steps);
            })],
        };
        new Trainer<float>(net, loss, optimizer, options).Fit(x, d, testX, testD);
        return run;
    }

    public static Sequential<float> Network(int[] sizes, IInitializer init, ulong seed) =>
        NetworkBuilder<float>.FromSizes(sizes, ActivationKind.Relu, ActivationKind.Softmax, seed, init);
}

/// <summary>Notebook 1_4_1: 784-40-10, W = 0.01·randn, batch 100, η = 0.1, 1,000 steps, accuracy every 10 steps.</summary>
internal sealed class MnistSampleExperiment : IExperiment
{
    public string Name => "mnist-sample";

    public IReadOnlyList<string> Options => ["--steps", "--init", "--lr", "--optimizer"];

    public string Title(Labels labels) => labels.T("Handwritten digits (notebook 1_4_1)", "手書き数字の認識（ノートブック 1_4_1）");

    public string Question(Labels labels) => labels.T(
        "Can the network from this course read handwriting? A 784-40-10 network trained by mini-batch SGD on 8,000 MNIST digits is measured on 2,000 it never saw, every 10 steps.",
        "この講座のネットワークで手書き文字を読めるか。8,000件の MNIST で 784-40-10 のネットワークをミニバッチ SGD で学習し、見ていない2,000件で10ステップごとに正解率を測る。");

    public void Run(ExperimentContext context)
    {
        string initName = context.Settings.Init ?? "normal:0.01";
        IInitializer init = Infrastructure.Options.Initializer(initName);
        int steps = context.Settings.Steps ?? 1000;
        IOptimizer<float> optimizer = Infrastructure.Options.Optimizer(context.Settings.Optimizer ?? "sgd", context.Settings.LearningRate ?? (context.Settings.Optimizer is null ? 0.1 : null));
        Mnist.Run run = Mnist.Train(initName, Mnist.Network([784, 40, 10], init, context.Settings.Seed), optimizer, steps, 10, context.Settings.Seed, context);
        for (int i = 9; i < run.Steps.Count; i += 10)
        {
            context.Output.Line($"{context.Labels.T("step", "ステップ")} {run.Steps[i]:F0}: {context.Labels.T("train accuracy", "訓練データの正解率")} {run.TrainAccuracy[i]:F4}, " +
                $"{context.Labels.T("test accuracy", "テストデータの正解率")} {run.TestAccuracy[i]:F4}");
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("MNIST accuracy", "正解率"), context.Labels.Axis("step"), context.Labels.Axis("accuracy"),
            [new PlotFile.Series("train", [.. run.Steps], [.. run.TrainAccuracy]), new PlotFile.Series("test", [.. run.Steps], [.. run.TestAccuracy])]);
        context.Output.Plot(plot, $"784-40-10, init {initName}");
    }
}

/// <summary>SGD, Momentum, AdaGrad, RMSProp and Adam on MNIST 10k.</summary>
internal sealed class OptimizersExperiment : IExperiment
{
    public string Name => "optimizers";

    public IReadOnlyList<string> Options => ["--steps"];

    public string Title(Labels labels) => labels.T("Optimizers on MNIST", "最適化手法の比較（MNIST）");

    public string Question(Labels labels) => labels.T(
        "Beyond plain SGD: Momentum remembers past gradients, AdaGrad and RMSProp scale each weight's step by its gradient history, Adam combines both.",
        "SGD の先へ：Momentum は過去の勾配を覚え、AdaGrad と RMSProp は重みごとに勾配の履歴で歩幅を調整し、Adam はその両方を組み合わせる。");

    public void Run(ExperimentContext context)
    {
        int steps = context.Settings.Steps ?? 300;
        var runs = new List<Mnist.Run>();
        foreach ((string name, double rate) in new[] { ("sgd", 0.1), ("momentum", 0.05), ("adagrad", 0.05), ("rmsprop", 0.001), ("adam", 0.001) })
        {
            Sequential<float> net = Mnist.Network([784, 40, 10], Initializers.He, context.Settings.Seed);
            Mnist.Run run = Mnist.Train($"{name} (η={rate})", net, OptimizerFactory.Create<float>(name, rate), steps, 10, context.Settings.Seed, context);
            runs.Add(run);
            context.Output.Line($"{run.Label}: {context.Labels.T("test accuracy after", "テスト正解率")} {steps} {context.Labels.T("steps", "ステップ")} = {run.TestAccuracy[^1]:F4}");
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Training loss by optimizer", "最適化手法ごとの誤差"), context.Labels.Axis("step"), context.Labels.Axis("loss"),
            runs.Select(r => new PlotFile.Series(r.Label, [.. r.Steps], [.. r.Loss])), logY: true);
        context.Output.Plot(plot, "SGD / Momentum / AdaGrad / RMSProp / Adam");
    }
}

/// <summary>Standard deviation 0.01 against Xavier and He on a deeper network.</summary>
internal sealed class InitCompareExperiment : IExperiment
{
    public string Name => "init-compare";

    public IReadOnlyList<string> Options => ["--steps"];

    public string Title(Labels labels) => labels.T("Initial weights", "重みの初期値");

    public string Question(Labels labels) => labels.T(
        "Why do initial weights matter? With σ = 0.01 every layer shrinks the signal, so a deep network barely learns; Xavier (1/√n) keeps the variance steady, He (√(2/n)) does so for ReLU.",
        "初期値はなぜ重要か。σ = 0.01 では層を通るたびに信号が小さくなり深いネットワークは学習しにくい。Xavier（1/√n）は分散を保ち、He（√(2/n)）は ReLU 向けにそれを行う。");

    public void Run(ExperimentContext context)
    {
        int steps = context.Settings.Steps ?? 300;
        var runs = new List<Mnist.Run>();
        foreach ((string label, IInitializer init) in new (string, IInitializer)[] { ("std 0.01", new Normal(0.01)), ("xavier", Initializers.Xavier), ("he", Initializers.He) })
        {
            Mnist.Run run = Mnist.Train(label, Mnist.Network([784, 50, 50, 50, 10], init, context.Settings.Seed), new Sgd<float>(0.05), steps, 10, context.Settings.Seed, context);
            runs.Add(run);
            context.Output.Line($"{label}: {context.Labels.T("final training loss", "最終的な誤差")} {run.Loss[^1]:G4}, {context.Labels.T("test accuracy", "テスト正解率")} {run.TestAccuracy[^1]:F4}");
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Training loss by initialisation (784-50-50-50-10)", "初期値ごとの誤差"), context.Labels.Axis("step"), context.Labels.Axis("loss"),
            runs.Select(r => new PlotFile.Series(r.Label, [.. r.Steps], [.. r.Loss])), logY: true);
        context.Output.Plot(plot, "std 0.01 / Xavier / He");
    }
}
