using System.Diagnostics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Tests.Kernels;

/// <summary>The helper thread's contract: both shares always run, and a helper that stalls a caller is left alone a while.</summary>
[Collection(GemmThreads.Name)]
public sealed class GemmWorkerTests
{
    [Fact]
    public void Both_shares_run_exactly_once_whoever_runs_them()
    {
        for (int i = 0; i < 200; i++)
        {
            WaitForTheSpellToEnd();
            var work = new Counting();
            if (GemmWorker.TryRunInParallel(work))
            {
                Assert.Equal([1, 1], work.Runs);
            }
        }
    }

    [Fact]
    public void A_helper_that_keeps_the_caller_waiting_is_left_alone_for_the_next_products()
    {
        WaitForTheSpellToEnd();
        // long after any spell, one slow product is a moment's preemption of the helper's vCPU: no spell yet
        Thread.Sleep(30);
        Assert.True(GemmWorker.TryRunInParallel(new Stalling()), "the helper was busy");
        Assert.False(GemmWorker.BackingOff, "one slow product after a quiet while should not start a spell");
        var stall = new Stalling();
        Assert.True(GemmWorker.TryRunInParallel(stall), "the helper was busy");
        Assert.True(stall.HelperRan, "the helper should have taken its share while the caller waited for it");
        Assert.True(GemmWorker.BackingOff, "two slow products running start a spell");
        var next = new Counting();
        Assert.False(GemmWorker.TryRunInParallel(next));
        Assert.Equal([0, 0], next.Runs);
        // soon after a spell, the helper that keeps losing its core is left alone at its first slow product
        WaitForTheSpellToEnd();
        Assert.True(GemmWorker.TryRunInParallel(new Stalling()), "the helper was busy");
        Assert.True(GemmWorker.BackingOff, "a slow product soon after a spell starts the next one");
    }

    private static void WaitForTheSpellToEnd()
    {
        var clock = Stopwatch.StartNew();
        while (GemmWorker.BackingOff)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "a spell alone lasts 250 ms at most");
            Thread.Sleep(1);
        }
    }

    private sealed class Counting : GemmWorker.IWork
    {
        public int[] Runs { get; } = new int[2];

        public void Run(int share) => Interlocked.Increment(ref Runs[share]);
    }

    /// <summary>Share 0 waits until the helper has claimed share 1, which then holds the caller up for 20 ms (a descheduled helper).</summary>
    private sealed class Stalling : GemmWorker.IWork
    {
        private volatile bool _started;

        public bool HelperRan { get; private set; }

        public void Run(int share)
        {
            if (share == 1)
            {
                _started = true;
                HelperRan = Environment.CurrentManagedThreadId != CallerThread;
                Thread.Sleep(20);
                return;
            }

            CallerThread = Environment.CurrentManagedThreadId;
            var clock = Stopwatch.StartNew();
            while (!_started && clock.ElapsedMilliseconds < 1000)
            {
                Thread.SpinWait(10);
            }
        }

        private int CallerThread { get; set; }
    }
}
