using System.Globalization;
using NeuralSharp.Kernels;

namespace NeuralSharp.Bench;

/// <summary>
/// The workloads of shared/bench/WORKLOADS.md, run only through the entry points a user and the <c>neuralsharp</c>
/// command call — <see cref="Training.Trainer{T}"/> (W2, W6, W7), <see cref="Training.OnlineLearner{T}"/> (W1, W4), the
/// network's forward pass (W5) and <see cref="Gemm"/> (W3) — printing the peers' line protocol:
/// <c>W1 neuralsharp threads=1 case=online steps_per_s=… best=… worst=… reps=… final_loss=…</c>.
/// </summary>
public static partial class Workloads
{
    private const string Peer = "neuralsharp";

    [ThreadStatic]
    private static int t_threads;

    [ThreadStatic]
    private static TextWriter? t_out;

    /// <summary>The workload ids <c>--only</c> takes. W7 runs only when named (under a CPU hog, by run_all.sh).</summary>
    public static IReadOnlyList<string> Known { get; } = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "X0"];

    /// <summary>The error for an <c>--only</c> list naming a workload that is not here, or null when all are.</summary>
    public static string? Unknown(string only)
    {
        ArgumentNullException.ThrowIfNull(only);
        foreach (string w in only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Known.Contains(w))
            {
                return $"--only: '{w}' is not a workload (known: {string.Join(", ", Known)}).";
            }
        }

        return null;
    }

    /// <summary>Runs the workloads named by <c>--only</c> (default all but W7) on <c>--threads</c> threads; 0, or 2 for bad arguments.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string only = "";
        int threads = 1;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n >= 1)
            {
                threads = n;
                i++;
            }
            else if (args[i] == "--only" && i + 1 < args.Length)
            {
                only = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"bench: unknown or incomplete argument '{args[i]}' (takes --threads N and --only W1,W3).");
                return 2;
            }
        }

        if (Unknown(only) is { } error)
        {
            Console.Error.WriteLine($"bench: {error}");
            return 2;
        }

        (t_threads, t_out) = (threads, output);
        int previousThreads = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            output.WriteLine($"INFO {Peer} dotnet={Environment.Version} vector_bytes={System.Numerics.Vector<byte>.Count} avx512={System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated} gemm_threads={Parallelism.Threads}");
            // the limit W5 at batch 1 runs into, on this thread count, for the share the README quotes
            output.WriteLine($"INFO {Peer} threads={Parallelism.Threads} read_1mb_gbs={G(MachineProbe.ReadGigabytesPerSecond(Parallelism.Threads))}");
            var all = new Dictionary<string, Action> { ["W1"] = W1, ["W2"] = W2, ["W3"] = W3, ["W4"] = W4, ["W5"] = W5, ["W6"] = W6, ["W7"] = W7, ["W8"] = W8, ["W9"] = W9, ["X0"] = X0 };
            IEnumerable<string> chosen = only.Length > 0
                ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : all.Keys.Where(w => w != "W7");
            foreach (string w in chosen)
            {
                all[w]();
            }

            var helper = GemmWorker.Statistics;
            output.WriteLine($"INFO {Peer} threads={Parallelism.Threads} helper_parallel={helper.Parallel} helper_refused={helper.Refused} helper_not_joined={helper.NotJoined} helper_share_taken={helper.Taken} helper_spells_alone={helper.Spells}");
        }
        finally
        {
            // run in-process (neuralsharp bench), leave the library as it was
            Parallelism.Threads = previousThreads;
        }

        return 0;
    }

    private static void Report(string workload, string @case, string metric, List<double> values, bool higherIsBetter = true, string extra = "")
    {
        var sorted = values.Order().ToList();
        double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]);
        double best = higherIsBetter ? sorted[^1] : sorted[0], worst = higherIsBetter ? sorted[0] : sorted[^1];
        t_out!.WriteLine($"{workload} {Peer} threads={t_threads} case={@case} {metric}={G(median)} best={G(best)} worst={G(worst)} reps={sorted.Count}" + (extra.Length > 0 ? " " + extra : ""));
    }

    private static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
