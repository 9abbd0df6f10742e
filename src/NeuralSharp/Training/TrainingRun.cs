using System.Numerics;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;
using NeuralSharp.Serialization;

namespace NeuralSharp.Training;

/// <summary>
/// A training run assembled from its configuration — the recipe every shell calls: the data read and prepared
/// (<see cref="PreparedData{T}"/>), the task head chosen, the network built, the optimizer made; <see cref="Fit"/>
/// trains it watching the validation rows, <see cref="Evaluate"/> measures the test rows once, at the end, and
/// <see cref="ToModel"/> carries everything a prediction needs. <c>neuralsharp train</c> is this class and a printer.
/// <code>
/// var run = TrainingRun&lt;float&gt;.Start(new RunConfig { Data = "iris", Layers = "16", Epochs = 50 });
/// History history = run.Fit();
/// Console.WriteLine(run.Evaluate().Accuracy);
/// run.ToModel().Save("iris.nsmodel");
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingRun<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private TrainingRun(RunConfig config, Dataset source, PreparedData<T> data, Sequential<T> network, IReadOnlyList<string> warnings)
    {
        Config = config;
        Source = source;
        Data = data;
        Network = network;
        Optimizer = config.CreateOptimizer<T>();
        // with clip-norm, each update goes through the clipping first; the rule and its state stay the optimizer's
        _updates = config.ClipNorm is { } norm ? new GradientClipping<T>(Optimizer, norm) : Optimizer;
        // the schedule is the run's, made once from the optimizer's first rate
        _schedule = config.Schedule is { } schedule ? ScheduleGrammar.Parse(schedule, Optimizer, Epochs, config.StepsPerEpoch(data.TrainX.Rows)) : null;
        Warnings = warnings;
    }

    /// <summary>
    /// Assembles a run: reads the data the configuration names (or takes <paramref name="data"/>), prepares it, and
    /// builds the network — or, with <paramref name="from"/>, goes on training that model's network with its standardizers.
    /// </summary>
    /// <exception cref="OptionException">A bad option, or one that does not fit the data; the message names it.</exception>
    /// <exception cref="DataFormatException">The data is malformed, too small to split, or does not fit the model.</exception>
    public static TrainingRun<T> Start(RunConfig config, Dataset? data = null, Model<T>? from = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        // a model's text columns and gaps are read as it was trained on them
        Dataset source = data ?? config.LoadData(from?.Encoding);
        if (from is not null)
        {
            // a model goes on with the scaling its weights were trained for (none, where its file had none)
            Check(from, source);
            var continued = PreparedData<T>.Prepare(source, config.Split, from.Head with { ClassWeights = config.ClassWeightsFor(source) }, fitted: (from.Standardizer, from.TargetStandardizer));
            return new TrainingRun<T>(config, source, continued, from.Network, from.Head.Warnings(source.ClassCount));
        }

        PreparedData<T> prepared = config.Prepare<T>(source);
        return new TrainingRun<T>(config, source, prepared, config.BuildNetwork(prepared), config.Warnings(prepared.Head, source.ClassCount));
    }

    /// <summary>
    /// Resumes a run from <paramref name="checkpoint"/>: its configuration (or <paramref name="config"/>, e.g. the same with
    /// more epochs), its data read again and scaled as before, its network and its optimizer's memory; <see cref="Fit"/>
    /// goes on with the next epoch, shuffled as the uninterrupted run would have, so the two end bit for bit alike
    /// (early stopping and reduce-on-plateau count their epochs afresh).
    /// </summary>
    /// <exception cref="DataFormatException">The checkpoint does not fit its configuration (another optimizer, other shapes).</exception>
    public static TrainingRun<T> Resume(TrainingCheckpoint<T> checkpoint, RunConfig? config = null, Dataset? data = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        RunConfig run = config ?? RunConfig.FromJson(checkpoint.Model.Configuration ?? throw new DataFormatException("The checkpoint's model carries no configuration to resume."));
        TrainingRun<T> resumed = Start(run, data, checkpoint.Model);
        if (resumed.Optimizer.Name != checkpoint.Optimizer)
        {
            throw new DataFormatException($"The checkpoint was trained with {checkpoint.Optimizer}, not {resumed.Optimizer.Name}: its optimizer's memory fits only its own.");
        }

        try
        {
            resumed.Optimizer.ImportState(resumed.Network.Parameters, checkpoint.OptimizerState, checkpoint.OptimizerSteps);
        }
        catch (ShapeMismatchException error)
        {
            throw new DataFormatException($"The checkpoint's optimizer state does not fit its network: {error.Message}", error);
        }

        resumed.EpochsDone = checkpoint.Epoch;
        return resumed;
    }

    /// <summary>The epochs trained so far (by earlier calls of <see cref="Fit"/>, or before the checkpoint a run resumed from).</summary>
    public int EpochsDone { get; private set; }

    /// <summary>The run as it stands, to resume later (<see cref="Resume"/>).</summary>
    public TrainingCheckpoint<T> Checkpoint()
    {
        (T[][] state, int steps) = Optimizer.ExportState(Network.Parameters);
        return new TrainingCheckpoint<T>(ToModel(), EpochsDone, Optimizer.Name, steps, state);
    }

    /// <summary>The configuration.</summary>
    public RunConfig Config { get; }

    /// <summary>The data as read (or given), before it was split: what a shell describes before training.</summary>
    public Dataset Source { get; }

    /// <summary>The prepared data (training, validation and test rows).</summary>
    public PreparedData<T> Data { get; }

    /// <summary>The task head (with the run's class weights, if any).</summary>
    public TaskHead Head => Data.Head;

    /// <summary>The network.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The optimizer (its state carries across calls to <see cref="Fit"/>).</summary>
    public Optimizer<T> Optimizer { get; }

    private readonly IOptimizer<T> _updates;

    private readonly ITrainingCallback? _schedule;

    /// <summary>What a learner should know about the options before training, each a sentence saying why.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The epochs <see cref="Fit"/> trains for (<see cref="RunConfig.EpochsFor"/> of the training rows).</summary>
    public int Epochs => Config.EpochsFor(Data.TrainX.Rows);

    /// <summary>
    /// Trains for the configured epochs on the training rows, measuring the validation rows after each (early stopping
    /// watches their loss). <paramref name="callbacks"/> are told every epoch.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public History Fit(IReadOnlyList<ITrainingCallback>? callbacks = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        // the schedule acts before the caller's callbacks see an epoch's end; a run that goes on from a later epoch takes
        // that epoch's rate first (a per-step schedule sets each step's by itself)
        if (_schedule is LearningRateSchedule { PerStep: false } perEpoch && EpochsDone > 0)
        {
            Optimizer.LearningRate = perEpoch.RateFor(EpochsDone + 1);
        }

        IReadOnlyList<ITrainingCallback> all = _schedule is { } schedule ? [schedule, .. callbacks ?? []] : callbacks ?? [];
        // each epoch's end counts it done before any callback sees it (a checkpoint written then resumes after it)
        IReadOnlyList<ITrainingCallback> counted = [new EpochCallback(record => EpochsDone = record.Epoch), .. all];
        return new Trainer<T>(Network, Head, _updates, Config.TrainingOptions(counted, Data.TrainX.Rows) with { StartEpoch = EpochsDone })
            .Fit(Data.TrainX, Data.TrainD, Data.ValidationX, Data.ValidationD, progress, cancellationToken);
    }

    /// <summary>The test rows' measures, in the targets' own units: a confusion matrix for classes, R², MSE and MAE for numbers.</summary>
    public TestReport Evaluate()
    {
        NDArray<T> y = Network.Predict(Data.TestX);
        ReadOnlySpan<double> truth = Data.TestTargets.Span;
        if (Head.Task != TaskKind.Regression)
        {
            int[] actual = new int[truth.Length];
            for (int i = 0; i < actual.Length; i++)
            {
                actual[i] = (int)truth[i];
            }

            // each row's probability of its true class (a single sigmoid output is P(class 1))
            var truthProbability = new double[actual.Length];
            var positiveScore = new double[actual.Length];
            for (int i = 0; i < actual.Length; i++)
            {
                double one = double.CreateTruncating(y.Columns == 1 ? y[i, 0] : y[i, Math.Min(1, y.Columns - 1)]);
                truthProbability[i] = y.Columns == 1 ? (actual[i] == 1 ? one : 1 - one) : double.CreateTruncating(y[i, actual[i]]);
                positiveScore[i] = one;
            }

            bool binary = Data.ClassNames!.Count == 2;
            return new TestReport(new ConfusionMatrix(actual, Head.PredictedClasses(y), Data.ClassNames!), null, null, null)
            {
                // a probability only where the output is one (softmax, sigmoid): log-loss and AUC need them
                LogLoss = Head.Output is Activations.ActivationKind.Softmax or Activations.ActivationKind.Sigmoid ? Metrics.LogLoss(truthProbability) : null,
                RocAuc = binary ? Metrics.RocAuc(positiveScore, [.. actual.Select(a => a == 1)]) : null,
            };
        }

        var predicted = new double[y.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(y.AsSpan(), predicted.AsSpan());
        Data.TargetScale?.InverseTransform(predicted);
        return new TestReport(null, Metrics.RSquared(predicted, truth), Metrics.MeanSquaredError(predicted, truth), Metrics.MeanAbsoluteError(predicted, truth));
    }

    /// <summary>The trained model: network, head, names, standardizers and this run's configuration.</summary>
    public Model<T> ToModel() =>
        new(Network, Data.Task, Data.FeatureNames, Data.ClassNames, Data.TargetName, Data.Features, Data.TargetScale) { Head = Head, Configuration = Config.ToJson(), Windows = Data.Windows, Encoding = Data.Encoding };

    /// <summary>The data must fit the model a run goes on from: its features, its task and its outputs.</summary>
    private static void Check(Model<T> start, Dataset data)
    {
        if (start.FeatureNames.Count != data.FeatureCount)
        {
            throw new DataFormatException($"The model takes {start.FeatureNames.Count} features ({string.Join(", ", start.FeatureNames.Take(8))}{(start.FeatureNames.Count > 8 ? ", …" : "")}), but '{data.Name}' has {data.FeatureCount}.");
        }

        if ((start.Task == TaskKind.Regression) != (data.Task == TaskKind.Regression))
        {
            throw new DataFormatException($"The model is a {(start.Task == TaskKind.Regression ? "regression" : "classifier")}, but '{data.Name}' is {(data.Task == TaskKind.Regression ? "a regression task" : "a classification task")} (--task can say otherwise for a CSV).");
        }

        if (data.Task != TaskKind.Regression && TaskHead.For(data.Task, data.ClassCount, start.Head.Output, start.Head.Loss).OutputWidth != start.Network.OutputWidth)
        {
            throw new DataFormatException($"The model has {start.Network.OutputWidth} outputs, but '{data.Name}' has {data.ClassCount} classes.");
        }
    }
}

/// <summary>A run's measures on its test rows.</summary>
/// <param name="Confusion">The confusion matrix (classes), else null.</param>
/// <param name="RSquared">R² (regression), else null.</param>
/// <param name="MeanSquaredError">MSE in the target's units (regression), else null.</param>
/// <param name="MeanAbsoluteError">MAE in the target's units (regression), else null.</param>
public sealed record TestReport(ConfusionMatrix? Confusion, double? RSquared, double? MeanSquaredError, double? MeanAbsoluteError)
{
    /// <summary>The accuracy (classes), else null.</summary>
    public double? Accuracy => Confusion?.Accuracy;

    /// <summary>The mean negative log-likelihood of the true classes (<see cref="Metrics.LogLoss"/>), where the output is a probability; else null.</summary>
    public double? LogLoss { get; init; }

    /// <summary>The area under the ROC curve of a two-class task (<see cref="Metrics.RocAuc"/>), else null.</summary>
    public double? RocAuc { get; init; }
}
