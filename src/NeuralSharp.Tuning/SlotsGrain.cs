namespace NeuralSharp.Tuning;

/// <summary>Says how many trials its silo trains at once; keyed by the silo's address and placed on that silo.</summary>
public interface ISlotsGrain : IGrainWithStringKey
{
    /// <summary>The silo's number of trial slots.</summary>
    Task<int> CountAsync();
}

/// <summary>A silo's slot count, for the sweep's dispatcher (see <see cref="TrialPlacementStrategy"/>).</summary>
[TrialPlacement]
public sealed class SlotsGrain(TrialSlots slots) : Grain, ISlotsGrain
{
    /// <inheritdoc />
    public Task<int> CountAsync() => Task.FromResult(slots.Count);
}
