namespace NeuralSharp.Training;

/// <summary>How a <see cref="Trainer{T}"/> runs.</summary>
public sealed record TrainingOptions
{
    /// <summary>Full batch, mini-batch or stochastic (default mini-batch).</summary>
    public DescentMode Mode { get; init; } = DescentMode.MiniBatch;

    /// <summary>
    /// Mini-batch and online modes: reshuffle the samples every epoch (default true). Off, the batches are taken in the
    /// data's order, the same every epoch (a benchmark, or data already shuffled).
    /// </summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Samples per update for mini-batch and stochastic modes (default 32; stochastic commonly 1).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Passes over the data (default 10). In stochastic mode an "epoch" is count / batch size steps.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// The run's number of updates, in any mode, overriding <see cref="Epochs"/> (e.g. the course's 1,000, or a PyTorch
    /// loop's): training stops after that step, in the middle of an epoch if need be (that epoch gets its record too).
    /// </summary>
    public int? Steps { get; init; }

    /// <summary>
    /// Stochastic mode only: steps between two epoch records (and callbacks), e.g. 10 to measure accuracy every
    /// 10 steps as notebook 1_4_1 does; default count / batch size.
    /// </summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>
    /// Epochs already trained (default 0): training goes on with epoch <c>StartEpoch + 1</c> up to <see cref="Epochs"/>,
    /// each shuffled as one call over all of them would have, so a run trained an epoch per call (a search's trial,
    /// checkpointed between epochs) equals it bit for bit, given the network and optimizer as that epoch left them.
    /// </summary>
    public int StartEpoch { get; init; }

    /// <summary>Seeds shuffling and sampling: the same seed gives the same history bit for bit.</summary>
    public ulong Seed { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss, restoring the best weights; null for never.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>With validation data: also measure the training set's metric after each epoch, a forward pass over all of it (default true).</summary>
    public bool MeasureTrainingMetric { get; init; } = true;

    /// <summary>Called after every epoch, and around every step where they ask (progress bars, checkpoints, live plots, schedules).</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
}
