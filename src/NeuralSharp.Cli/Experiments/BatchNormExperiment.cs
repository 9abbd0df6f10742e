using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Deep Learning from Scratch §6.3.2: 1,000 MNIST digits, 5 hidden layers of 100 ReLU units, SGD (η = 0.01) in batches
/// of 100 for 20 epochs, with and without batch normalisation, from initial weights of σ = 1, 0.1, 0.01 and 0.001.
/// </summary>
internal sealed class BatchNormExperiment : IExperiment
{
    public string Name => "batch-norm";

    public string Title(Labels labels) => labels.T("Batch normalisation (§6.3)", "Batch Normalization（6.3節）");

    public string Question(Labels labels) => labels.T(
        "What does batch normalisation buy? Normalising each layer's inputs over the batch makes training fast and nearly indifferent to the initial weights' scale, where the plain network barely moves.",
        "Batch Normalization は何をもたらすか。各層への入力をバッチごとに正規化すると、学習が速くなり、重みの初期値の大きさにほとんど左右されなくなる。正規化しないネットワークはほとんど進まない。");

    public static IReadOnlyList<double> Scales { get; } = [1, 0.1, 0.01, 0.001];

    /// <summary>The training accuracy after each epoch; a run that diverges ends early (its curve stops there).</summary>
    public static double[] Train(double scale, bool batchNorm, int epochs, ulong seed)
    {
        (NDArray<float> small, NDArray<float> labels) = Mnist.First(1000);
        var builder = new NetworkBuilder<float>(784);
        for (int layer = 0; layer < 5; layer++)
        {
            if (batchNorm)
            {
                builder.Dense(100, null, new Normal(scale)).BatchNorm().Activation(ActivationKind.Relu);
            }
            else
            {
                builder.Dense(100, ActivationKind.Relu, new Normal(scale));
            }
        }

        Sequential<float> net = builder.Dense(10, ActivationKind.Softmax, new Normal(scale)).Build(seed);
        var accuracy = new List<double>();
        var loss = new CrossEntropy<float>();
        var options = new TrainingOptions
        {
            Mode = DescentMode.MiniBatch, BatchSize = 100, Epochs = epochs, Seed = seed,
            Callbacks = [new EpochCallback(_ => accuracy.Add(Metrics.Evaluate(net, small, labels, loss).Metric))],
        };
        try
        {
            new Trainer<float>(net, loss, new Sgd<float>(0.01), options).Fit(small, labels);
        }
        catch (TrainingDivergedException)
        {
            // large initial weights through five plain ReLU layers overflow the softmax: what the figure shows too
            accuracy.Add(double.NaN);
        }

        return [.. accuracy];
    }

    public void Run(ExperimentContext context)
    {
        var series = new List<PlotFile.Series>();
        foreach (double scale in Scales)
        {
            foreach (bool batchNorm in new[] { true, false })
            {
                double[] accuracy = Train(scale, batchNorm, 20, context.Settings.Seed);
                string label = $"σ = {scale}, {(batchNorm ? context.Labels.T("batch norm", "Batch Norm あり") : context.Labels.T("plain", "なし"))}";
                context.Output.Line(double.IsNaN(accuracy[^1])
                    ? $"{label}: {context.Labels.T($"diverged in epoch {accuracy.Length} (the loss overflowed)", $"{accuracy.Length}エポック目で発散（誤差がオーバーフロー）")}"
                    : $"{label}: {context.Labels.T("train accuracy after 20 epochs", "20エポック後の訓練正解率")} {accuracy[^1]:F4}");
                double[] finite = [.. accuracy.Where(double.IsFinite)];
                series.Add(new PlotFile.Series(label, [.. Enumerable.Range(1, finite.Length).Select(e => (double)e)], finite));
            }
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Training accuracy with and without batch norm", "Batch Norm の有無による訓練正解率"), context.Labels.T("epoch", "エポック"),
            context.Labels.T("train accuracy", "訓練正解率"), series);
        context.Output.Plot(plot, context.Labels.T("each initial scale with and without batch normalisation", "初期値の大きさごとに Batch Norm の有無を比較"));
    }
}
