using NeuralSharp.Activations;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Serialization;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// The steps of <c>train</c> in order: split, standardize (features, and regression targets), build the network the
/// options describe, train it the chosen way, evaluate on the held-out part, save.
/// </summary>
internal sealed class TrainRun
{
    private readonly TrainSettings _settings;
    private readonly Standardizer _features;
    private readonly Standardizer? _targets;
    private readonly ILoss<float> _loss;
    private readonly Dataset _data;

    /// <summary>Prepares a run; with <paramref name="start"/>, training goes on from that model's network and standardizers.</summary>
    public TrainRun(Dataset data, TrainSettings settings, Model<float>? start = null)
    {
        _data = data;
        _settings = settings;
        bool images = start is null && LayerGrammar.NeedsImages(settings.Layers);
        if (images && data.Image is null)
        {
            throw new UsageException($"--layers {settings.Layers}: convolutions and pooling need images, and '{data.Name}' is flat rows (use IDX images, e.g. --data mnist).");
        }

        if (start is not null)
        {
            Check(start, data, settings.Model!);
        }

        (Dataset rawTrain, Dataset rawTest) = data.Split(settings.TestSplit, settings.Seed);
        // a model goes on with the scaling its weights were trained for (none, if it came from elsewhere without one)
        // images go in as their pixels in [0, 1], as Deep Learning from Scratch feeds its convnets: per-pixel
        // statistics would blow a rarely-inked border pixel up to tens of σ, and a filter must see one scale everywhere
        Standardizer unchanged = new(new double[data.FeatureCount], [.. Enumerable.Repeat(1.0, data.FeatureCount)]);
        _features = start is null ? (images ? unchanged : Standardizer.Fit(rawTrain)) : start.Standardizer ?? unchanged;
        Train = _features.Transform(rawTrain);
        Test = _features.Transform(rawTest);
        _targets = data.Task != TaskKind.Regression ? null : start is null ? Standardizer.Fit(rawTrain.Targets, rawTrain.TargetWidth) : start.TargetStandardizer;
        ActivationKind output = start?.Network.OutputActivation?.Activation.Kind
            ?? (settings.Output == "auto" ? TaskDefaults.OutputActivation(data.Task) : Options.Activation(settings.Output, "--output"));
        _loss = Loss(settings.Loss, data.Task, output);
        Warn(data, settings, output);
        if (start is not null)
        {
            Network = start.Network;
            return;
        }

        var builder = images ? new NetworkBuilder<float>(data.Image!.Value) : new NetworkBuilder<float>(data.FeatureCount);
        LayerGrammar.Apply(builder, settings.Layers, Options.Activation(settings.Activation, "--activation"), settings.BatchNorm, settings.Dropout);

        builder.Dense(OutputWidth(data, output), output);
        Network = builder.Build(settings.Seed, settings.Init is null ? null : Options.Initializer(settings.Init));
    }

    /// <summary>What a learner should know about the options before training (each a sentence saying why).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    private readonly List<string> _warnings = [];

    private void Warn(Dataset data, TrainSettings settings, ActivationKind output)
    {
        if (settings.Model is null && Options.Activation(settings.Activation, "--activation") == ActivationKind.Step && settings.Layers.Trim() != "none")
        {
            _warnings.Add("--activation step: its derivative is 0 everywhere, so backpropagation passes nothing below the output layer and the hidden layers never learn; use relu, sigmoid or tanh to train them.");
        }

        if (output == ActivationKind.Sigmoid && data.ClassCount > 2)
        {
            _warnings.Add($"--output sigmoid with {data.ClassCount} classes: each output is a yes/no of its own, not a distribution over the classes, so the probabilities do not add up to 1; use softmax (or auto).");
        }

        if (output == ActivationKind.Sigmoid && settings.Loss.Trim().Equals("ce", StringComparison.OrdinalIgnoreCase))
        {
            _warnings.Add("--output sigmoid with --loss ce: cross entropy expects a distribution, which sigmoid outputs are not (it rewards every output for being large); use bce for two classes, or softmax with ce.");
        }
    }

    public sealed record Evaluation(ConfusionMatrix? Confusion, double? RSquared, double? MeanSquaredError, double? MeanAbsoluteError);

    public Dataset Train { get; }

    public Dataset Test { get; }

    public Sequential<float> Network { get; }

    public History Fit(Action<EpochRecord> onEpoch)
    {
        int batch = Options.Batch(_settings.Batch);
        Optimizer<float> optimizer = Options.Optimizer(_settings.Optimizer, _settings.LearningRate);
        optimizer.WeightDecay = _settings.L2 ?? 0;
        optimizer.L1 = _settings.L1 ?? 0;
        NDArray<float> x = Train.FeatureTensor<float>(), d = Targets(Train), testX = Test.FeatureTensor<float>(), testD = Targets(Test);
        var options = new TrainingOptions
        {
            // online learning: each sample updates the model as it arrives; an epoch replays them in a new order
            Mode = batch < 0 ? DescentMode.Online : batch == 0 ? DescentMode.FullBatch : DescentMode.MiniBatch,
            BatchSize = Math.Max(batch, 1),
            Epochs = _settings.Epochs,
            Seed = _settings.Seed,
            EarlyStoppingPatience = _settings.EarlyStopping,
            // train shows the losses and, at the end, the test set's metrics: no pass over the training set each epoch
            MeasureTrainingMetric = false,
            Callbacks = [new EpochCallback(onEpoch)],
        };
        return new Trainer<float>(Network, _loss, optimizer, options).Fit(x, d, testX, testD);
    }

    public Evaluation Evaluate()
    {
        NDArray<float> y = Network.Predict(Test.FeatureTensor<float>());
        if (_data.Task != TaskKind.Regression)
        {
            int[] actual = [.. Enumerable.Range(0, Test.Count).Select(Test.Label)];
            return new Evaluation(new ConfusionMatrix(actual, Metrics.PredictedClasses(y), _data.ClassNames!), null, null, null);
        }

        double[] predicted = [.. y.ToArray().Select(v => (double)v)];
        _targets?.InverseTransform(predicted);
        ReadOnlySpan<double> truth = Test.Targets;
        return new Evaluation(null, Metrics.RSquared(predicted, truth), Metrics.MeanSquaredError(predicted, truth), Metrics.MeanAbsoluteError(predicted, truth));
    }

    public string Save(string path)
    {
        ModelFile.Save(path, new Model<float>(Network, _data.Task, _data.FeatureNames, _data.ClassNames, _data.TargetName, _features, _targets));
        return path;
    }

    private NDArray<float> Targets(Dataset set)
    {
        NDArray<float> d = set.TargetTensor<float>();
        if (d.Rank == 2 && Network.OutputWidth != d.Columns)
        {
            // a binary set trained with a softmax over its two classes takes class indices
            return new NDArray<float>(new Shape(d.Rows), d.ToArray());
        }

        if (_targets is not null)
        {
            double[] scaled = set.Targets.ToArray();
            _targets.Transform(scaled);
            return NDArray.Convert<double, float>(new NDArray<double>(d.Shape, scaled));
        }

        return d;
    }

    /// <summary>The data must fit the model a run starts from: its features, its task and its outputs.</summary>
    private static void Check(Model<float> start, Dataset data, string path)
    {
        string name = Path.GetFileName(path);
        if (start.FeatureNames.Count != data.FeatureCount)
        {
            throw new DataFormatException($"{name} takes {start.FeatureNames.Count} features ({string.Join(", ", start.FeatureNames.Take(8))}{(start.FeatureNames.Count > 8 ? ", …" : "")}), but '{data.Name}' has {data.FeatureCount}.");
        }

        if ((start.Task == TaskKind.Regression) != (data.Task == TaskKind.Regression))
        {
            throw new DataFormatException($"{name} is a {(start.Task == TaskKind.Regression ? "regression" : "classifier")}, but '{data.Name}' is {(data.Task == TaskKind.Regression ? "a regression task" : "a classification task")} (--task can say otherwise for a CSV).");
        }

        ActivationKind output = start.Network.OutputActivation?.Activation.Kind ?? ActivationKind.Identity;
        if (data.Task != TaskKind.Regression && start.Network.OutputWidth != OutputWidth(data, output))
        {
            throw new DataFormatException($"{name} has {start.Network.OutputWidth} outputs, but '{data.Name}' has {data.ClassCount} classes.");
        }
    }

    private static int OutputWidth(Dataset data, ActivationKind output) =>
        data.Task == TaskKind.BinaryClassification && output == ActivationKind.Softmax ? 2 : TaskDefaults.OutputWidth(data);

    private static ILoss<float> Loss(string name, TaskKind task, ActivationKind output)
    {
        ILoss<float> loss = name.Trim().ToLowerInvariant() switch
        {
            "auto" => output == ActivationKind.Softmax ? new CrossEntropy<float>() : TaskDefaults.Loss<float>(task),
            "mse" => new SquaredError<float>(),
            "ce" => new CrossEntropy<float>(),
            "bce" => new BinaryCrossEntropy<float>(),
            _ => throw new UsageException($"--loss: unknown loss '{name}'. Known: auto, mse, ce, bce."),
        };
        if (task == TaskKind.Regression && loss is not SquaredError<float>)
        {
            throw new UsageException($"--loss {name}: the data is a regression task; use mse (or auto).");
        }

        if (task != TaskKind.Regression && output == ActivationKind.Identity)
        {
            throw new UsageException("--output identity: the data has classes; use sigmoid or softmax (or auto).");
        }

        return loss;
    }
}
