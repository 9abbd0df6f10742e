namespace NeuralSharp.Tuning;

/// <summary>
/// A trial after its last finished epoch, as the grain persists it: the weights, the optimizer's memory and the
/// reports so far. A trial whose silo dies resumes from here on another, and takes the steps it would have taken.
/// </summary>
[GenerateSerializer]
public sealed class TrialCheckpoint
{
    /// <summary>Epochs finished.</summary>
    [Id(0)] public int Epoch { get; set; }

    /// <summary>Every parameter's values, in the network's order.</summary>
    [Id(1)] public float[][] Weights { get; set; } = [];

    /// <summary>The optimizer's state arrays (see <c>Optimizer.ExportState</c>).</summary>
    [Id(2)] public float[][] OptimizerState { get; set; } = [];

    /// <summary>The optimizer's step count.</summary>
    [Id(3)] public int OptimizerSteps { get; set; }

    /// <summary>One report per finished epoch.</summary>
    [Id(4)] public List<EpochReport> Reports { get; set; } = [];

    /// <summary>Why the trial stopped by itself (a diverging loss), or null.</summary>
    [Id(5)] public string? Failure { get; set; }
}
