namespace NeuralSharp.Kernels;

/// <summary>
/// A second thread for large matrix products that allocates nothing per use (unlike <c>Parallel.For</c>, whose tasks
/// and closures would break the zero-allocation training step). The caller hands over a reusable work item, runs its
/// own share, and waits for the helper's. One product at a time uses the helper; a product that finds it busy
/// (another thread's product) simply runs on its own thread.
/// </summary>
internal static class GemmWorker
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Start = new(0);
    private static readonly SemaphoreSlim Done = new(0);
    private static IWork? s_work;

    // started with the class, so that no product ever pays for (or allocates) the thread
    private static readonly Thread Helper = StartHelper();

    /// <summary>Work split in two shares, 0 (run by the caller) and 1 (run by the helper).</summary>
    internal interface IWork
    {
        void Run(int share);
    }

    /// <summary>Runs both shares of <paramref name="work"/>, in parallel when the helper is free; false if it was busy.</summary>
    public static bool TryRunInParallel(IWork work)
    {
        if (!Monitor.TryEnter(Gate))
        {
            return false;
        }

        try
        {
            s_work = work;
            Start.Release();
            work.Run(0);
            Done.Wait();
            s_work = null;
            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>True once the helper thread runs.</summary>
    public static bool Running => Helper.IsAlive;

    private static Thread StartHelper()
    {
        var thread = new Thread(() =>
        {
            while (true)
            {
                Start.Wait();
                try
                {
                    s_work!.Run(1);
                }
                finally
                {
                    Done.Release();
                }
            }
        })
        {
            IsBackground = true,
            Name = "neuralsharp-gemm",
        };
        thread.Start();
        return thread;
    }
}
