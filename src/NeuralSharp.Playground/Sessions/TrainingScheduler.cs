using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// One dedicated background thread trains every playing session in turn, each for at most
/// <see cref="Limits.SliceMilliseconds"/> per round, and expires idle sessions — so all sessions together use at
/// most one core, no session can starve the others, and the web server's thread pool stays free for requests
/// and event streams.
/// </summary>
public sealed class TrainingScheduler(SessionStore store) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource();
        var thread = new Thread(() =>
        {
            LowerPriority();
            Loop(stoppingToken);
            done.TrySetResult();
        })
        {
            IsBackground = true,
            Name = "playground-trainer",
            Priority = ThreadPriority.BelowNormal,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// On Linux, runs this thread at nice 19, so requests, event streams (and a browser on the same machine) get the
    /// CPU first and training takes what is left; .NET's own thread priorities do nothing there.
    /// </summary>
    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = NativeMethods.SetPriority(0, NativeMethods.GetThreadId(), 19);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            // an unusual libc: train at normal priority
        }
    }

    private void Loop(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            long roundStart = clock.ElapsedMilliseconds;
            bool worked = false, yielded = false;
            foreach (Session session in store.All)
            {
                if (!session.Playing)
                {
                    continue;
                }

                worked = true;
                long start = clock.ElapsedMilliseconds;
                // a waiting request (a snapshot for the stream, a click) ends the slice early
                while (session.Playing && !session.RequestWaiting && clock.ElapsedMilliseconds - start < Limits.SliceMilliseconds && session.TrainEpochIfDue())
                {
                }

                yielded |= session.RequestWaiting;
            }

            store.Expire(DateTime.UtcNow);
            // between rounds: idle, wait longer; training, just let waiting requests take the lock
            if (yielded)
            {
                // a request is waiting: give it the lock and the core for a moment instead of spinning
                Thread.Sleep(1);
            }
            else if (worked)
            {
                // train at most ~80% of the time, and (above) at the lowest priority: the web server, its event
                // streams and a browser on the same 2-core machine keep their share, so frames keep coming
                Thread.Sleep((int)Math.Max(1, (clock.ElapsedMilliseconds - roundStart) / 4));
            }
            else
            {
                stoppingToken.WaitHandle.WaitOne(50);
            }
        }
    }
}

/// <summary>The two libc calls that lower one thread's scheduling priority.</summary>
internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    internal static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    internal static partial int GetThreadId();
}
