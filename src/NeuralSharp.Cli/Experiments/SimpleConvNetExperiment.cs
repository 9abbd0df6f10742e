using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Deep Learning from Scratch's SimpleConvNet (§7.5) on the built-in MNIST: conv 30×5×5 → ReLU → pool 2 → dense 100 →
/// ReLU → dense 10, Adam (η = 0.001), batches of 100, pixels in [0, 1]; accuracy per epoch, and the 30 filters drawn
/// before and after training.
/// </summary>
internal sealed class SimpleConvNetExperiment : IExperiment
{
    public string Name => "simple-convnet";

    public IReadOnlyList<string> Options => ["--steps", "--lr", "--optimizer"];

    public string Title(Labels labels) => labels.T("A convolutional network (Deep Learning from Scratch §7.5)", "畳み込みニューラルネットワーク（ゼロから作る Deep Learning 7.5節）");

    public string Question(Labels labels) => labels.T(
        "What does a convolution learn? Thirty 5×5 filters slide over each digit; after training they have become edge and blob detectors, and the network reads digits it never saw better than the dense 784-40-10.",
        "畳み込みは何を学ぶか。30個の 5×5 フィルタが数字の上をすべる。学習後のフィルタは縁や塊の検出器になり、見たことのない数字を全結合の 784-40-10 より正しく読む。");

    /// <summary>Trains the net; returns the test accuracy per epoch and the filters before and after.</summary>
    public static (double[] TestAccuracy, double[][,] Before, double[][,] After) Train(int epochs, ulong seed, IOptimizer<float>? optimizer = null)
    {
        (Dataset train, Dataset test) = BuiltInDatasets.Load("mnist").Split(0.2, seed);
        Sequential<float> net = new NetworkBuilder<float>(train.Image!.Value).Conv2D(30, 5).MaxPool2D(2)
            .Dense(100, ActivationKind.Relu).Dense(10, ActivationKind.Softmax).Build(seed);
        var conv = (Conv2D<float>)net.Layers[0];
        double[][,] before = Filters(conv);
        var accuracy = new List<double>();
        var options = new TrainingOptions
        {
            Mode = DescentMode.MiniBatch, BatchSize = 100, Epochs = epochs, Seed = seed,
            Callbacks = [new EpochCallback(e => accuracy.Add(e.ValidationMetric))],
        };
        new Trainer<float>(net, new CrossEntropy<float>(), optimizer ?? new Adam<float>(0.001), options)
            .Fit(train.FeatureTensor<float>(), train.TargetTensor<float>(), test.FeatureTensor<float>(), test.TargetTensor<float>());
        return ([.. accuracy], before, Filters(conv));
    }

    public void Run(ExperimentContext context)
    {
        int epochs = context.Settings.Steps is { } steps ? Math.Max(1, steps / 80) : 10;
        IOptimizer<float>? optimizer = context.Settings.Optimizer is null && context.Settings.LearningRate is null ? null
            : Infrastructure.Options.Optimizer(context.Settings.Optimizer ?? "adam", context.Settings.LearningRate ?? (context.Settings.Optimizer is null ? 0.001 : null));
        (double[] accuracy, double[][,] before, double[][,] after) = Train(epochs, context.Settings.Seed, optimizer);
        for (int e = 0; e < accuracy.Length; e++)
        {
            context.Output.Line($"{context.Labels.T("epoch", "エポック")} {e + 1}: {context.Labels.T("test accuracy", "テストデータの正解率")} {accuracy[e]:F4}");
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("SimpleConvNet on MNIST", "SimpleConvNet（MNIST）"), context.Labels.T("epoch", "エポック"),
            context.Labels.T("test accuracy", "テスト正解率"), [new PlotFile.Series("conv 30×5×5 → pool 2 → 100 → 10", [.. Enumerable.Range(1, accuracy.Length).Select(e => (double)e)], accuracy)]);
        context.Output.Plot(plot, context.Labels.T("test accuracy per epoch", "エポックごとのテスト正解率"));
        // He's starting noise (σ 0.28) is larger than what ten epochs add, so before and after look alike tile by tile:
        // the third row shows what training added, each tile scaled to itself
        string filters = PlotFile.Tiles(context.PlotPath(Name + "-filters"), context.Labels.T("The 30 filters", "30個のフィルタ"),
            [(context.Labels.T("before training", "学習前"), before), (context.Labels.T("after training", "学習後"), after),
             (context.Labels.T("what training added", "学習で加わった分"), Difference(after, before))], columns: 15);
        context.Output.Plot(filters, context.Labels.T("filters before and after training, and what training added (after − before): edges and strokes over the starting noise", "学習前と学習後のフィルタ、そして学習で加わった分（後 − 前）：初期値のノイズの上に縁や線の検出器ができる"));
    }

    /// <summary>Each filter's change, <c>after − before</c>.</summary>
    internal static double[][,] Difference(double[][,] after, double[][,] before) =>
        [.. after.Select((filter, f) =>
        {
            var change = (double[,])filter.Clone();
            for (int i = 0; i < change.GetLength(0); i++)
            {
                for (int j = 0; j < change.GetLength(1); j++)
                {
                    change[i, j] -= before[f][i, j];
                }
            }

            return change;
        })];

    /// <summary>The conv layer's filters as 5×5 images (column f of W [25, F]).</summary>
    internal static double[][,] Filters(Conv2D<float> conv)
    {
        var filters = new double[conv.Filters][,];
        for (int f = 0; f < conv.Filters; f++)
        {
            filters[f] = new double[conv.KernelHeight, conv.KernelWidth];
            for (int i = 0; i < conv.KernelHeight; i++)
            {
                for (int j = 0; j < conv.KernelWidth; j++)
                {
                    filters[f][i, j] = conv.Weights.Value[(i * conv.KernelWidth) + j, f];
                }
            }
        }

        return filters;
    }
}
