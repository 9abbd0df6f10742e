using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralSharp.Bench;

/// <summary>
/// A limit of the machine that W5 at batch 1 runs into, measured by the bench on its own thread count: the read
/// bandwidth over 1 MB per thread (W5's weights at batch 1 are 0.94 MB, read once per sample).
/// </summary>
internal static class MachineProbe
{

    /// <summary>Best GB/s of a few rounds, each thread reading its own 1 MB buffer again and again.</summary>
    public static double ReadGigabytesPerSecond(int threads) => Best(threads, ReadRound);

    private static double Best(int threads, Func<double> round)
    {
        double best = 0;
        for (int r = 0; r < 5; r++)
        {
            var rates = new double[threads];
            Thread[] workers = [.. Enumerable.Range(0, threads).Select(t => new Thread(() => rates[t] = round()))];
            foreach (Thread worker in workers)
            {
                worker.Start();
            }

            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            best = Math.Max(best, rates.Sum());
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ReadRound()
    {
        float[] data = new float[256 * 1024];
        Array.Fill(data, 1f);
        long bytes = 0;
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        int width = Vector<float>.Count;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 20)
        {
            ref float start = ref data[0];
            for (int i = 0; i + (8 * width) <= data.Length; i += 8 * width)
            {
                s0 += Vector.LoadUnsafe(ref start, (nuint)i);
                s1 += Vector.LoadUnsafe(ref start, (nuint)(i + width));
                s2 += Vector.LoadUnsafe(ref start, (nuint)(i + (2 * width)));
                s3 += Vector.LoadUnsafe(ref start, (nuint)(i + (3 * width)));
                s4 += Vector.LoadUnsafe(ref start, (nuint)(i + (4 * width)));
                s5 += Vector.LoadUnsafe(ref start, (nuint)(i + (5 * width)));
                s6 += Vector.LoadUnsafe(ref start, (nuint)(i + (6 * width)));
                s7 += Vector.LoadUnsafe(ref start, (nuint)(i + (7 * width)));
            }

            bytes += data.Length * sizeof(float);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        GC.KeepAlive(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
        return bytes / seconds / 1e9;
    }
}
