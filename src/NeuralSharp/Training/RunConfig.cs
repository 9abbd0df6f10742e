using System.Globalization;
using System.Numerics;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// Everything a training run's result depends on, as a value: the data and its split, the network, the head, the
/// optimizer and the schedule of descent. The same value gives the same tensors and weights, bit for bit, whoever runs
/// it — <see cref="TrainingRun{T}"/> in C#, <c>neuralsharp train</c> (its options have these names), a <c>tune</c>
/// trial. It reads and writes as JSON (<see cref="Load"/>, <see cref="Save"/>): <c>tune</c> writes its best trial's
/// as <c>best.config.json</c>, and <c>train --config</c> repeats it.
/// </summary>
public sealed partial record RunConfig
{
    /// <summary>A built-in set, a generator, a CSV file or IDX images (<see cref="DataSource"/>).</summary>
    public string Data { get; init; } = "digits";

    /// <summary>A CSV's target column (null: <c>target</c>, else the last).</summary>
    public string? Target { get; init; }

    /// <summary>The labels file that goes with IDX images.</summary>
    public string? Labels { get; init; }

    /// <summary>A CSV's separator, one character (null: detected from the header).</summary>
    public string? Delimiter { get; init; }

    /// <summary>For a CSV: <c>auto</c>, <c>classification</c> or <c>regression</c>.</summary>
    public string Task { get; init; } = "auto";

    /// <summary>What a CSV's missing feature cells become: <c>drop</c> (their rows), <c>mean</c> or <c>median</c> (of the column); null to refuse them.</summary>
    public string? Missing { get; init; }

    /// <summary>
    /// Each class's weight in the loss: <c>balanced</c> (the inverse of the class's share, N / (K·n_c), as scikit-learn's
    /// <c>class_weight="balanced"</c>) or one number per class in class order (<c>1,5</c>); null for none.
    /// </summary>
    public string? ClassWeights { get; init; }

    /// <summary>Hidden layers in <see cref="LayerGrammar"/>: <c>64,32</c>, <c>conv:16x5x5,pool:2,dense:100</c>, <c>none</c>; null for the data's default (<see cref="HiddenLayers"/>).</summary>
    public string? Layers { get; init; }

    /// <summary>
    /// The hidden layers a run builds: <see cref="Layers"/>, else the data's default — one layer of 64, or two for the
    /// spirals, which one layer does not untangle (64 % on <c>spiral</c> after its default epochs, 100 % with two).
    /// </summary>
    public string HiddenLayers => Layers ?? (Spiral ? "64,64" : "64");

    /// <summary>η a run starts from: <see cref="LearningRate"/>, else 0.01 for the spirals (Adam's 0.001 needs five times the epochs there), else null for the optimizer's default.</summary>
    public double? StartingRate => LearningRate ?? (Spiral ? 0.01 : null);

    private bool Spiral => Data.Trim().ToLowerInvariant() is "spiral" or "spiral4";

    /// <summary>The hidden activation's name.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout of this ratio after every hidden dense layer's activation, or null.</summary>
    public double? Dropout { get; init; }

    /// <summary>Batch normalisation between every hidden layer and its activation.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>The output activation: <c>auto</c> (from the task), identity, sigmoid, softmax, tanh.</summary>
    public string Output { get; init; } = "auto";

    /// <summary>The loss: <c>auto</c> (from the task and output), mse, mse-sum, ce, bce.</summary>
    public string Loss { get; init; } = "auto";

    /// <summary>The optimizer's name (<see cref="OptimizerFactory.Names"/>).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>η, or null for the optimizer's default.</summary>
    public double? LearningRate { get; init; }

    /// <summary>λ of L2 regularisation (weights only), or null.</summary>
    public double? L2 { get; init; }

    /// <summary>λ of L1 regularisation (weights only), or null.</summary>
    public double? L1 { get; init; }

    /// <summary>
    /// λ of PyTorch's <c>weight_decay</c>, or null: coupled (<c>λ·W</c> added to the gradient of every parameter, biases
    /// included) for every optimizer but <c>adamw</c>, whose decay is decoupled (default 0.01, as PyTorch's).
    /// </summary>
    public double? WeightDecay { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss (keeping the best weights), or null.</summary>
    public int? EarlyStopping { get; init; }

    /// <summary>
    /// Passes over the training rows; null: enough for about <see cref="AutoUpdates"/> updates, at least 30 and at most
    /// 1,000 (<see cref="EpochsFor"/>) — a small set such as iris, three batches an epoch, trains for 200.
    /// </summary>
    public int? Epochs { get; init; }

    /// <summary>The updates a run without <see cref="Epochs"/> aims at.</summary>
    public const int AutoUpdates = 600;

    /// <summary>The epochs a run over <paramref name="trainingRows"/> rows takes: <see cref="Epochs"/>, or enough for about <see cref="AutoUpdates"/> updates (30 … 1,000).</summary>
    public int EpochsFor(int trainingRows)
    {
        if (Epochs is { } epochs)
        {
            return epochs;
        }

        int steps = StepsPerEpoch(trainingRows);
        return Math.Clamp((AutoUpdates + steps - 1) / steps, 30, 1000);
    }

    /// <summary>The updates an epoch over <paramref name="trainingRows"/> rows makes: one per batch, per row online, one for the full batch.</summary>
    public int StepsPerEpoch(int trainingRows)
    {
        int batch = BatchSize, rows = Math.Max(trainingRows, 1);
        return batch < 0 ? rows : batch == 0 ? 1 : (rows + batch - 1) / batch;
    }

    /// <summary>The mini-batch size, <c>full</c> or <c>online</c>.</summary>
    public string Batch { get; init; } = "32";

    /// <summary>The weight initializer (<see cref="Initializers.Parse"/>), or null for He with ReLU, Xavier otherwise.</summary>
    public string? Init { get; init; }

    /// <summary>The seed of the initial weights and the shuffles (and of the split, unless <see cref="SplitSeed"/> is given).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The seed of the split into training, validation and test rows; null: <see cref="Seed"/>.</summary>
    public ulong? SplitSeed { get; init; }

    /// <summary>The share of all rows held out for the test at the end.</summary>
    public double TestSplit { get; init; } = 0.2;

    /// <summary>The share of the remaining rows held out for validation (early stopping, schedules, a search's metric); 0 for none.</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>For a series: the rows of one sample (<see cref="SequenceWindows"/>), or null for rows as samples.</summary>
    public int? Window { get; init; }

    /// <summary>For a series: how many rows after a window its target lies (null: 1, the next row).</summary>
    public int? Horizon { get; init; }

    /// <summary>A learning-rate schedule (<see cref="ScheduleGrammar"/>: <c>step:10:0.5</c>, <c>cosine</c>, <c>warmup:100</c>, <c>onecycle:0.01</c>, <c>plateau:5</c>), or null for a constant rate.</summary>
    public string? Schedule { get; init; }

    /// <summary>The largest global norm of the gradients (<see cref="GradientClipping{T}"/>), or null for no clipping.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>The data source these options name.</summary>
    public DataSource Source => new(Data, Target, Labels, Task, ParseDelimiter(Delimiter), ParseMissing(Missing));

    /// <summary>The split these options name.</summary>
    public DataSplit Split => new(TestSplit, ValidationSplit, SplitSeed ?? Seed);

    /// <summary>True when the layers hold a convolution or pooling (the data must be images, fed as their pixels).</summary>
    public bool NeedsImages => LayerGrammar.NeedsImages(HiddenLayers);

    /// <summary>The mini-batch size, 0 for full batch, −1 for online.</summary>
    public int BatchSize => Batch.Trim().ToLowerInvariant() switch
    {
        "full" => 0,
        "online" => -1,
        var n when int.TryParse(n, CultureInfo.InvariantCulture, out int size) && size > 0 => size,
        _ => throw new OptionException("batch", $"'{Batch}' is not a batch size; give a positive number, 'full' or 'online'."),
    };

    /// <summary>The hidden activation.</summary>
    public ActivationKind HiddenActivation => OptionException.Parse("activation", Activation, () => Activations.Activation.Parse(Activation), Activations.Activation.Names);

    /// <summary>True when the layers hold a recurrent layer (the data must be sequences: windows of a series).</summary>
    public bool NeedsSequences => LayerGrammar.NeedsSequences(HiddenLayers);

    /// <summary>
    /// Reads (or generates) the data these options name — a generator draws with the split's seed — and, with a
    /// <see cref="Window"/>, cuts it into windows; a CSV by <paramref name="encoding"/> when given (the model's a run goes on from).
    /// </summary>
    public Dataset LoadData(FeatureEncoding? encoding = null)
    {
        DataSource source = Source;
        return Window is not { } window ? source.Load(Split.Seed, encoding)
            // a CSV series may be its target alone, so its columns are read as one table of numbers
            : source.IsCsv && Task != "classification" ? SequenceWindows.ReadSeries(source.Name, Target, source.Delimiter, window, Horizon ?? 1)
            : SequenceWindows.Of(source.Load(Split.Seed), window, Horizon ?? 1);
    }

    /// <summary>
    /// <paramref name="data"/> prepared for a new network of these options: split, standardized (not when the layers take
    /// images: they see their pixels), encoded for <see cref="HeadFor"/>'s head.
    /// </summary>
    public PreparedData<T> Prepare<T>(Dataset data)
        where T : unmanaged, IFloatingPointIeee754<T> => PreparedData<T>.Prepare(data, Split, HeadFor(data), standardizeFeatures: !NeedsImages);

    /// <summary>The task head for <paramref name="data"/>: <see cref="Output"/> and <see cref="Loss"/>, or the task's own, with the <see cref="ClassWeights"/> its classes get.</summary>
    public TaskHead HeadFor(Dataset data) => TaskHead.For(data, Output, Loss) with { ClassWeights = ClassWeightsFor(data) };

    /// <summary>The network these options describe for prepared data: the hidden layers, then the head's output layer.</summary>
    /// <exception cref="OptionException">Convolutions over data that is not images, or layers too large.</exception>
    public Sequential<T> BuildNetwork<T>(PreparedData<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (NeedsImages && data.Image is null)
        {
            throw new OptionException("layers", $"{HiddenLayers}: convolutions and pooling need images, and '{data.Name}' is flat rows (use IDX images, e.g. --data mnist).");
        }

        if (NeedsSequences && data.Sequence is null)
        {
            throw new OptionException("layers", $"{HiddenLayers}: recurrent layers need sequences, and '{data.Name}' is rows; give --window N to cut a series into samples of N rows.");
        }

        var builder = NeedsImages ? new NetworkBuilder<T>(data.Image!.Value)
            : data.Sequence is { } sequence && NeedsSequences ? new NetworkBuilder<T>(sequence) : new NetworkBuilder<T>(data.FeatureNames.Count);
        LayerGrammar.Apply(builder, HiddenLayers, HiddenActivation, BatchNorm, Dropout);
        builder.Dense(data.Head.OutputWidth, data.Head.Output);
        return builder.Build(Seed, Init is null ? null : OptionException.Parse("init", Init, () => Initializers.Parse(Init)));
    }

    /// <summary>The optimizer these options name, with its rate and regularisation.</summary>
    public Optimizer<T> CreateOptimizer<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Optimizer<T> optimizer = OptionException.Parse("optimizer", Optimizer, () => OptimizerFactory.Create<T>(Optimizer, StartingRate), OptimizerFactory.Names);
        optimizer.WeightDecay = L2 ?? 0;
        optimizer.L1 = L1 ?? 0;
        if (optimizer is AdamW<T> adamW)
        {
            adamW.DecoupledWeightDecay = WeightDecay ?? adamW.DecoupledWeightDecay;
        }
        else
        {
            optimizer.CoupledWeightDecay = WeightDecay ?? 0;
        }

        return optimizer;
    }

    /// <summary>How the trainer runs over <paramref name="trainingRows"/> rows: the descent mode from <see cref="Batch"/>, the epochs, the seed, early stopping.</summary>
    public TrainingOptions TrainingOptions(IReadOnlyList<ITrainingCallback>? callbacks = null, int trainingRows = 0)
    {
        int batch = BatchSize;
        return new TrainingOptions
        {
            // online learning: each sample updates the model as it arrives; an epoch replays them in a new order
            Mode = batch < 0 ? DescentMode.Online : batch == 0 ? DescentMode.FullBatch : DescentMode.MiniBatch,
            BatchSize = Math.Max(batch, 1),
            Epochs = EpochsFor(trainingRows),
            Seed = Seed,
            EarlyStoppingPatience = EarlyStopping,
            // the validation rows are measured each epoch; the training rows' metric would be a second pass over them
            MeasureTrainingMetric = false,
            Callbacks = callbacks ?? [],
        };
    }

    /// <summary>What a learner should know about these options before training, each a sentence saying why.</summary>
    public IReadOnlyList<string> Warnings(TaskHead head, int classes)
    {
        ArgumentNullException.ThrowIfNull(head);
        var warnings = new List<string>();
        if (HiddenActivation == ActivationKind.Step && HiddenLayers.Trim() != "none")
        {
            warnings.Add("activation step: its derivative is 0 everywhere, so backpropagation passes nothing below the output layer and the hidden layers never learn; use relu, sigmoid or tanh to train them.");
        }

        warnings.AddRange(head.Warnings(classes));
        return warnings;
    }
}
