using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// The course's notebook 3_3_predict_sin: a simple RNN (tanh, 5 units, weights N(0, 0.01²)) reads windows of 5 values
/// of sin over [0, 10π] (500 points) and predicts the next; trained by SGD at η = 0.1 on the first 80 % of the windows in
/// time order, measured on the last 20 %; then it generates 200 values from its own output, plotted against sin.
/// </summary>
internal sealed class PredictSinExperiment : IExperiment
{
    public const int Points = 500, Window = 5, Generated = 200;

    public string Name => "predict-sin";

    public IReadOnlyList<string> Options => ["--steps", "--lr", "--hidden"];

    public string Title(Labels labels) => labels.T("An RNN predicts a sine wave (3_3)", "RNN で sin 波を予測する（3_3）");

    public string Question(Labels labels) => labels.T(
        "Can a recurrent network learn a wave from its past values alone? Trained on windows of five values, it then runs on by itself, each prediction the next input.",
        "過去の値だけから波を学べるか。5 点の窓で学習したあと、自分の予測を次の入力にして先を描き続ける。");

    /// <summary>A run's figures: the loss per epoch, the test loss per sample, and the generated values beside sin's.</summary>
    public sealed record Result(double[] Losses, double TestLoss, double[] Generated, double[] Truth);

    public void Run(ExperimentContext context)
    {
        Result result = Train(context.Settings.Steps ?? 3000, context.Settings.LearningRate ?? 0.1, context.Settings.Hidden ?? 5, context.Settings.Seed,
            (done, total) => context.Progress(Name, done, total));
        context.Print(context.Labels.T("test loss per sample", "テストの誤差（1 サンプルあたり）"), result.TestLoss);
        string loss = PlotFile.Write(context.PlotPath(Name + "-loss"), context.Labels.T("Training loss", "訓練誤差"), context.Labels.Axis("epoch"), context.Labels.Axis("loss"),
            [new PlotFile.Series("loss", [.. result.Losses.Select((_, i) => i + 1.0)], result.Losses)], logY: true);
        context.Output.Plot(loss, context.Labels.T("the loss per sample, epoch by epoch", "エポックごとの誤差"));
        double[] steps = [.. Enumerable.Range(0, Generated).Select(i => (double)i)];
        string wave = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Generated from its own output", "自分の出力から生成"), context.Labels.Axis("step"), "sin",
            [new PlotFile.Series("sin", steps, result.Truth), new PlotFile.Series(context.Labels.T("generated", "生成"), steps, result.Generated)]);
        context.Output.Plot(wave, context.Labels.T($"{Generated} values, each window's next value fed back as input", $"{Generated} 点：予測した値を次の窓の入力にする"));
        context.Values["test_loss"] = result.TestLoss;
    }

    /// <summary>Trains on the sine's windows and generates from the last training window on.</summary>
    public static Result Train(int epochs, double learningRate, int hidden, ulong seed, Action<int, int> progress)
    {
        double[] sin = [.. Enumerable.Range(0, Points).Select(i => Math.Sin(i * 10 * Math.PI / (Points - 1)))];
        Dataset windows = SequenceWindows.OfSeries("sin", sin, Window);
        (int[] train, int[] test) = windows.SplitRowsInOrder([.. Enumerable.Range(0, windows.Count)], 0.2);
        Dataset trainSet = windows.Subset(train), testSet = windows.Subset(test);
        Sequential<double> net = new NetworkBuilder<double>(new SequenceShape(Window, 1))
            .Recurrent("rnn", hidden, activation: ActivationKind.Tanh, weights: new Normal(0.01))
            .Dense(1, ActivationKind.Identity, new Normal(0.01))
            .Build(seed);
        var loss = new SquaredError<double>(SquaredErrorReduction.SumPerSample);
        var trainer = new Trainer<double>(net, loss, new Sgd<double>(learningRate), new TrainingOptions
        {
            Mode = DescentMode.MiniBatch, BatchSize = 10, Epochs = epochs, Seed = seed, MeasureTrainingMetric = false,
            Callbacks = [new Progress(progress, epochs)],
        });
        History history = trainer.Fit(trainSet.FeatureTensor<double>(), trainSet.TargetTensor<double>());
        double testLoss = double.CreateChecked(loss.Compute(net.Predict(testSet.FeatureTensor<double>()), testSet.TargetTensor<double>()));
        // from the first test window on, each prediction becomes the newest value of the next window
        var window = new NDArray<double>(new Shape(1, Window), testSet.FeatureRow(0).ToArray());
        var generated = new double[Generated];
        for (int i = 0; i < Generated; i++)
        {
            generated[i] = net.Predict(window)[0];
            window.AsSpan()[1..].CopyTo(window.AsSpan());
            window[Window - 1] = generated[i];
        }

        double[] truth = [.. Enumerable.Range(0, Generated).Select(i => Math.Sin((test[0] + Window + i) * 10 * Math.PI / (Points - 1)))];
        return new Result([.. history.Epochs.Select(r => r.TrainLoss)], testLoss, generated, truth);
    }

    private sealed class Progress(Action<int, int> report, int epochs) : ITrainingCallback
    {
        public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            report(epoch.Epoch, epochs);
            return true;
        }
    }
}
