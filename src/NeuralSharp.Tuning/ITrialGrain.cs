namespace NeuralSharp.Tuning;

/// <summary>One trial of a sweep: trains with the library, an epoch at a time, checkpointing after each.</summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>
    /// Trains towards <paramref name="untilEpoch"/> epochs (from the last checkpoint), stopping after the first epoch
    /// that ends past <paramref name="budget"/>, and returns every epoch's report so far. Idempotent: asking again
    /// for epochs already done trains nothing.
    /// </summary>
    Task<TrialOutcome> TrainAsync(SweepData data, TrialConfig config, int untilEpoch, TimeSpan budget);

    /// <summary>Lets this activation go once idle: the trial's next call is placed afresh (its checkpoint is kept).</summary>
    Task LeaveAsync();

    /// <summary>The trained network as a NeuralSharp model file.</summary>
    Task<byte[]> ModelAsync(SweepData data, TrialConfig config);
}

/// <summary>A trial's reports so far, the silo that trained its last epochs, and why it stopped by itself, if it did.</summary>
[GenerateSerializer]
public sealed record TrialOutcome([property: Id(0)] IReadOnlyList<EpochReport> Reports, [property: Id(1)] string Silo, [property: Id(2)] string? Failure);
