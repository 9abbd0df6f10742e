namespace NeuralSharp.Tuning;

/// <summary>
/// How many trials a silo trains at once (one per core by default): a trial's epoch waits for a slot, so a silo
/// given more trials than cores runs them in turn instead of slicing its cores between them.
/// </summary>
public sealed class TrialSlots(int count) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(count, count);

    /// <summary>The number of slots.</summary>
    public int Count { get; } = count;

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_slots);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private sealed class Release(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
