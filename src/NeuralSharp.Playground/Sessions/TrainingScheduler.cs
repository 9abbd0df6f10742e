using System.Diagnostics;
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
                while (session.Playing && !session.RequestWaiting && clock.ElapsedMilliseconds - start < Limits.SliceMilliseconds && session.TrainEpoch())
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
                // train at most ~80% of the time: the web server, its streams and a browser on the same
                // machine keep a share of the CPU
                Thread.Sleep((int)Math.Max(1, (clock.ElapsedMilliseconds - roundStart) / 4));
            }
            else
            {
                stoppingToken.WaitHandle.WaitOne(50);
            }
        }
    }
}
