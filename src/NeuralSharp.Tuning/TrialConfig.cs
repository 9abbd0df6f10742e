using System.Globalization;
using NeuralSharp.Training;

namespace NeuralSharp.Tuning;

/// <summary>One point of the search space: everything a trial's result depends on, with its seed.</summary>
[GenerateSerializer]
public sealed record TrialConfig
{
    /// <summary>The trial's place in the sweep (0, 1, …).</summary>
    [Id(0)] public int Index { get; init; }

    /// <summary>η.</summary>
    [Id(1)] public double LearningRate { get; init; }

    /// <summary>Hidden layer widths, input side first.</summary>
    [Id(2)] public int[] Layers { get; init; } = [];

    /// <summary>The optimizer's name (sgd, momentum, adam …).</summary>
    [Id(3)] public string Optimizer { get; init; } = "adam";

    /// <summary>Mini-batch size.</summary>
    [Id(4)] public int Batch { get; init; } = 32;

    /// <summary>The hidden activation.</summary>
    [Id(5)] public string Activation { get; init; } = "relu";

    /// <summary>The initializer, or <c>auto</c> (He for ReLU, Xavier otherwise).</summary>
    [Id(6)] public string Init { get; init; } = "auto";

    /// <summary>λ of L2 regularisation.</summary>
    [Id(7)] public double L2 { get; init; }

    /// <summary>The seed of the initial weights and the shuffles.</summary>
    [Id(8)] public ulong Seed { get; init; }

    /// <summary>
    /// The run this trial is, as <c>train --config</c> takes it: the sweep's data and split, this trial's settings and
    /// seed, <paramref name="epochs"/> epochs. Training it gives the trial's weights and metric bit for bit.
    /// </summary>
    public RunConfig ToRunConfig(SweepData data, int epochs)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new RunConfig
        {
            Data = data.Source,
            Target = data.Target,
            Missing = data.Missing,
            ClassWeights = data.ClassWeights,
            ClipNorm = data.ClipNorm,
            SplitSeed = data.SplitSeed,
            TestSplit = data.TestFraction,
            ValidationSplit = data.ValidationFraction,
            Layers = Layers.Length == 0 ? "none" : string.Join(',', Layers.Select(w => w.ToString(CultureInfo.InvariantCulture))),
            Activation = Activation,
            Init = Init == "auto" ? null : Init,
            Optimizer = Optimizer,
            LearningRate = LearningRate,
            L2 = L2 > 0 ? L2 : null,
            Batch = Batch.ToString(CultureInfo.InvariantCulture),
            Epochs = epochs,
            Seed = Seed,
        };
    }

    /// <summary>The settings as a reader compares them: "lr=0.003 layers=64,32 optimizer=adam batch=16 …".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"lr={LearningRate:G3} layers={string.Join(',', Layers)} optimizer={Optimizer} batch={Batch} activation={Activation}{(Init == "auto" ? "" : $" init={Init}")}{(L2 > 0 ? $" l2={L2:G3}" : "")}");
}

/// <summary>What every trial of a sweep shares: the data, how it is split and measured, and the longest training.</summary>
[GenerateSerializer]
public sealed record SweepData
{
    /// <summary>A built-in data set's name, a generator's name or a CSV path the silos can read.</summary>
    [Id(0)] public string Source { get; init; } = "iris";

    /// <summary>A CSV's target column (null: 'target' or the last).</summary>
    [Id(1)] public string? Target { get; init; }

    /// <summary>The seed of the train/validation split.</summary>
    [Id(2)] public ulong SplitSeed { get; init; } = 42;

    /// <summary>The share of the rows left after the test split held out for validation (what the trials are ranked by).</summary>
    [Id(3)] public double ValidationFraction { get; init; } = 0.2;

    /// <summary>The share of all rows held out for the test (touched by no trial; as <c>train</c> holds it out).</summary>
    [Id(6)] public double TestFraction { get; init; } = 0.2;

    /// <summary>The metric the trials are ranked by: <c>val_accuracy</c> (higher is better) or <c>val_loss</c>.</summary>
    [Id(4)] public string Metric { get; init; } = "val_accuracy";

    /// <summary>A name for the sweep, part of every trial grain's key (a new sweep never resumes an old one's trials).</summary>
    [Id(5)] public string SweepId { get; init; } = "sweep";

    /// <summary>What a CSV's missing feature cells become (<see cref="RunConfig.Missing"/>: drop, mean, median; null refuses them).</summary>
    [Id(7)] public string? Missing { get; init; }

    /// <summary>Each class's weight in the loss (<see cref="RunConfig.ClassWeights"/>: balanced, or one per class), or null.</summary>
    [Id(8)] public string? ClassWeights { get; init; }

    /// <summary>The largest global norm of each update's gradients (<see cref="RunConfig.ClipNorm"/>), or null.</summary>
    [Id(9)] public double? ClipNorm { get; init; }

    /// <summary>True when a higher metric is better.</summary>
    public bool HigherIsBetter => Metric != "val_loss";
}

/// <summary>One epoch of a trial, as it reports it.</summary>
[GenerateSerializer]
public sealed record EpochReport([property: Id(0)] int Epoch, [property: Id(1)] double Metric, [property: Id(2)] double ValidationLoss, [property: Id(3)] double TrainLoss);
