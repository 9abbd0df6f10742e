using System.Diagnostics;

namespace NeuralSharp.Kernels;

/// <summary>
/// A second thread for large matrix products that allocates nothing per use (unlike <c>Parallel.For</c>, whose tasks
/// and closures would break the zero-allocation training step). The caller hands over a reusable work item, runs its
/// own share, and waits for the helper's. One product at a time uses the helper; a product that finds it busy
/// (another thread's product) simply runs on its own thread.
/// </summary>
/// <remarks>
/// Waking a blocked thread costs tens of microseconds on a virtual machine — as long as a whole 256³ product takes on
/// one core. So after each share the helper spins for <see cref="SpinMicroseconds"/> watching for the next one (a
/// training step's products follow each other within that), and only then blocks; the caller spins too while it waits
/// for the helper's share, which ends at about the time its own does.
/// </remarks>
internal static class GemmWorker
{
    /// <summary>How long the idle helper watches for work before it blocks.</summary>
    private const int SpinMicroseconds = 500;

    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static IWork? s_work;
    private static int s_posted;
    private static int s_done;
    private static int s_sleeping;

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
            Volatile.Write(ref s_done, 0);
            Interlocked.Exchange(ref s_posted, 1);
            if (Volatile.Read(ref s_sleeping) == 1)
            {
                Wake.Release();
            }

            work.Run(0);
            for (int look = 1; Volatile.Read(ref s_done) == 0; look++)
            {
                Pause(look);
            }

            s_work = null;
            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>
    /// The wait between two looks at a flag the other thread will set soon (its share ends about when ours does): one
    /// pause (SpinWait.SpinOnce's growing pauses would add microseconds), and a yield now and then in case the other
    /// thread lost its core.
    /// </summary>
    internal static void Pause(int look)
    {
        if ((look & 4095) == 0)
        {
            Thread.Yield();
        }
        else
        {
            Thread.SpinWait(1);
        }
    }

    /// <summary>True once the helper thread runs.</summary>
    public static bool Running => Helper.IsAlive;

    private static Thread StartHelper()
    {
        var thread = new Thread(HelperLoop)
        {
            IsBackground = true,
            Name = "neuralsharp-gemm",
        };
        thread.Start();
        return thread;
    }

    private static void HelperLoop()
    {
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            // one pause between looks (a pause is ~40–140 cycles; a longer spin would delay a product measured in µs)
            long until = Stopwatch.GetTimestamp() + spinTicks;
            for (int look = 1; Volatile.Read(ref s_posted) == 0; look++)
            {
                Thread.SpinWait(1);
                if ((look & 63) == 0 && Stopwatch.GetTimestamp() >= until)
                {
                    break;
                }
            }

            if (Volatile.Read(ref s_posted) == 0)
            {
                // announce the sleep, then look once more: a caller that posted before seeing the flag is not missed
                Interlocked.Exchange(ref s_sleeping, 1);
                if (Volatile.Read(ref s_posted) == 0)
                {
                    Wake.Wait();
                }

                Interlocked.Exchange(ref s_sleeping, 0);
                continue;
            }

            Interlocked.Exchange(ref s_posted, 0);
            try
            {
                s_work!.Run(1);
            }
            finally
            {
                Volatile.Write(ref s_done, 1);
            }
        }
    }
}
