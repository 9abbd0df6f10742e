using System.Diagnostics;

namespace NeuralSharp.Kernels;

/// <summary>
/// A second thread for large matrix products that allocates nothing per use (unlike <c>Parallel.For</c>, whose tasks
/// and closures would break the zero-allocation training step). The caller hands over a reusable work item, runs its
/// own share, and waits for the helper's. One product at a time uses the helper; a product that finds it busy
/// (another thread's product) simply runs on its own thread.
/// </summary>
/// <remarks>
/// <para>On a busy machine (other processes holding the cores) the helper may not be running when a product needs
/// it, so no caller waits for a helper that has not started: a share the helper has not claimed by the time the caller
/// finishes its own, the caller runs itself; a team product (<see cref="IWork.NeedsBothThreads"/>) that the helper does
/// not join within <see cref="JoinMicroseconds"/> runs on the caller's thread alone. A caller that still had to wait
/// long for the helper — it was descheduled mid-share — runs the next products alone for a while (doubling from 2 ms
/// up to 250 ms while it keeps happening right after each spell), so two threads requested are never much slower than one.</para>
/// Waking a blocked thread costs tens of microseconds on a virtual machine — as long as a whole 256³ product takes on
/// one core. So after each share the helper spins for <see cref="SpinMicroseconds"/> watching for the next one (a
/// training step's products follow each other within that), and only then blocks; the caller spins too while it waits
/// for the helper's share, which ends at about the time its own does.
/// </remarks>
internal static class GemmWorker
{
    /// <summary>How long the idle helper watches for work before it blocks.</summary>
    private const int SpinMicroseconds = 500;

    /// <summary>How long a team product waits for a spinning helper to join before it runs alone.</summary>
    private const int JoinMicroseconds = 20;

    /// <summary>How long it waits for a helper it had to wake (waking a blocked thread takes tens of µs on a VM).</summary>
    private const int WakeMicroseconds = 500;

    /// <summary>
    /// A wait for the helper longer than this and than half the product's time means it lost its core: the caller
    /// waited longer than its own share took, so running both shares itself would have been faster.
    /// </summary>
    private const int SlowWaitMicroseconds = 20;

    private static readonly long TicksPerMicrosecond = Math.Max(Stopwatch.Frequency / 1_000_000, 1);
    private static long s_aloneUntil;
    private static long s_backoffTicks = 2_000 * TicksPerMicrosecond;
    private static long s_waited;
    private static long s_parallel;
    private static long s_refused;
    private static long s_notJoined;
    private static long s_taken;
    private static long s_spells;
    private static int s_slowInARow;

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
        /// <summary>True when share 0 cannot finish without share 1 running at the same time (the threads meet).</summary>
        bool NeedsBothThreads => false;

        void Run(int share);
    }

    /// <summary>
    /// How products offered to the helper went, since the process started: run by both threads, refused (a spell alone,
    /// or the helper busy with another thread's product), run alone because the helper did not join a team, a share the
    /// caller ran itself, and spells alone begun. For the bench's report; not synchronised.
    /// </summary>
    internal static (long Parallel, long Refused, long NotJoined, long Taken, long Spells) Statistics =>
        (s_parallel, s_refused, s_notJoined, s_taken, s_spells);

    /// <summary>True while the helper is being left alone after it made a caller wait (see the remarks).</summary>
    public static bool BackingOff => Stopwatch.GetTimestamp() < Volatile.Read(ref s_aloneUntil);

    /// <summary>Runs both shares of <paramref name="work"/>, in parallel when the helper is free; false if it was busy.</summary>
    public static bool TryRunInParallel(IWork work)
    {
        // a product inside a share (a convolution's per-sample products) runs on its own thread: the caller's share
        // holds the gate, and a monitor lets its holder in again
        if (BackingOff || Monitor.IsEntered(Gate) || !Monitor.TryEnter(Gate))
        {
            s_refused++;
            return false;
        }

        try
        {
            long began = Stopwatch.GetTimestamp();
            s_work = work;
            s_waited = 0;
            Volatile.Write(ref s_done, 0);
            Interlocked.Exchange(ref s_posted, 1);
            bool asleep = Volatile.Read(ref s_sleeping) == 1;
            if (asleep)
            {
                Wake.Release();
            }

            if (work.NeedsBothThreads && !Joined(asleep ? WakeMicroseconds : JoinMicroseconds))
            {
                // the helper did not come: it has no core to run on; go alone for a spell
                s_notJoined++;
                GoAlone(Stopwatch.GetTimestamp());
                s_work = null;
                return false;
            }

            work.Run(0);
            if (Interlocked.CompareExchange(ref s_posted, 0, 1) == 1)
            {
                // the helper never took its share: run it here rather than wait for a thread that is not running; one
                // that was awake and did not come for as long as the caller's share took has no core to run on
                s_taken++;
                long now = Stopwatch.GetTimestamp();
                if (!asleep && now - began > SlowWaitMicroseconds * TicksPerMicrosecond)
                {
                    GoAlone(now);
                }

                work.Run(1);
                s_work = null;
                return true;
            }

            if (Volatile.Read(ref s_done) == 0)
            {
                long start = Stopwatch.GetTimestamp();
                for (int look = 1; Volatile.Read(ref s_done) == 0; look++)
                {
                    Pause(look);
                }

                s_waited += Stopwatch.GetTimestamp() - start;
            }

            s_parallel++;
            // a helper woken from its sleep comes late by the wake-up (tens of µs), which says nothing of a busy machine:
            // judged for it, a quiet machine went alone again after every spell, since the helper sleeps through a spell
            Judge(Stopwatch.GetTimestamp() - began, asleep ? WakeMicroseconds : SlowWaitMicroseconds);

            s_work = null;
            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Counts a wait of the caller for the helper inside a product (a team's meeting), for <see cref="Judge"/>.</summary>
    internal static void CallerWaited(long ticks) => s_waited += ticks;

    /// <summary>Waits up to <paramref name="microseconds"/> for the helper to claim the posted work; false (and withdrawn) if it did not.</summary>
    private static bool Joined(int microseconds)
    {
        long until = Stopwatch.GetTimestamp() + (microseconds * TicksPerMicrosecond);
        for (int look = 1; Volatile.Read(ref s_posted) == 1; look++)
        {
            if ((look & 15) == 0 && Stopwatch.GetTimestamp() >= until)
            {
                return Interlocked.CompareExchange(ref s_posted, 0, 1) == 0;
            }

            Thread.SpinWait(1);
        }

        return true;
    }

    /// <summary>
    /// After a product: a long wait for the helper (longer than <paramref name="slowMicroseconds"/> and than half the
    /// product: alone would have been faster) starts a spell alone — at once soon after a spell (the helper keeps losing
    /// its core, as under a hog), else at the second slow product running: one is a moment's preemption of the helper's
    /// vCPU by the host, which a shared 2-vCPU machine does a few times a second, and going alone for it cost more than
    /// the wait.
    /// </summary>
    private static void Judge(long elapsed, int slowMicroseconds)
    {
        long now = Stopwatch.GetTimestamp();
        if (s_waited <= slowMicroseconds * TicksPerMicrosecond || s_waited <= elapsed / 2)
        {
            s_slowInARow = 0;
            return;
        }

        // the product began soon after a spell ended
        bool soonAfterSpell = now - elapsed - Volatile.Read(ref s_aloneUntil) < 20_000 * TicksPerMicrosecond;
        if (++s_slowInARow >= 2 || soonAfterSpell)
        {
            s_slowInARow = 0;
            GoAlone(now);
        }
    }

    /// <summary>
    /// Starts a spell alone: twice as long as the last if the helper failed again soon after that one ended (it keeps
    /// losing its core), else the shortest (a moment's hiccup of the host).
    /// </summary>
    private static void GoAlone(long now)
    {
        s_spells++;
        bool again = now - Volatile.Read(ref s_aloneUntil) < 20_000 * TicksPerMicrosecond;
        s_backoffTicks = again ? Math.Min(2 * s_backoffTicks, 250_000 * TicksPerMicrosecond) : 2_000 * TicksPerMicrosecond;
        Volatile.Write(ref s_aloneUntil, now + s_backoffTicks);
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
                // no spinning through a spell alone: the cores are wanted elsewhere
                if ((look & 63) == 0 && (Stopwatch.GetTimestamp() >= until || BackingOff))
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

            if (Interlocked.CompareExchange(ref s_posted, 0, 1) != 1)
            {
                // the caller took the share back (it ran it itself, or its team product went alone)
                continue;
            }

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
