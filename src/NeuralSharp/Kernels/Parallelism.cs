namespace NeuralSharp;

/// <summary>
/// The library's one parallelism setting: how many threads its kernels may use for one large piece of work — a matrix
/// product, an optimizer's update of a long parameter, a long axpy. 1 is the calling thread alone; 2 is the caller and
/// the library's one helper thread (which never makes the caller wait when it is not running).
/// </summary>
public static class Parallelism
{
    private static int s_threads = Math.Min(Environment.ProcessorCount, 2);

    /// <summary>
    /// The threads a large piece of work may use: 1 or 2. Larger values are taken as 2 — the library has one helper;
    /// reading the property back says so. Default: 2 where the machine has two processors or more.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int Threads
    {
        get => s_threads;
        set => s_threads = value >= 1 ? Math.Min(value, 2) : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one thread.");
    }
}
