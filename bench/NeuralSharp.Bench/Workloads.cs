using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using NeuralSharp.Activations;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Training;

namespace NeuralSharp.Bench;

/// <summary>
/// The workloads of shared/bench/WORKLOADS.md (W1–W5, X0), run through NeuralSharp's public API, printing the peers'
/// line protocol: <c>W1 neuralsharp threads=1 case=online steps_per_s=… best=… worst=… reps=… final_loss=…</c>.
/// </summary>
public static class Workloads
{
    private const string Peer = "neuralsharp";
    private static int s_threads = 1;
    private static TextWriter s_out = Console.Out;

    /// <summary>Runs the workloads named by <c>--only</c> (default all) and returns 0.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        s_out = output;
        string only = "";
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length)
            {
                s_threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--only" && i + 1 < args.Length)
            {
                only = args[++i];
            }
        }

        int previousThreads = Gemm.MaxThreads;
        Gemm.MaxThreads = s_threads;
        try
        {
            RunAll(only, output);
        }
        finally
        {
            // run in-process (neuralsharp bench), leave the library as it was
            Gemm.MaxThreads = previousThreads;
        }

        return 0;
    }

    private static void RunAll(string only, TextWriter output)
    {
        output.WriteLine($"INFO {Peer} dotnet={Environment.Version} vector_bytes={System.Numerics.Vector<byte>.Count} avx512={System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated} gemm_threads={Gemm.MaxThreads}");
        var all = new Dictionary<string, Action> { ["W1"] = W1, ["W2"] = W2, ["W3"] = W3, ["W4"] = W4, ["W5"] = W5, ["X0"] = X0 };
        foreach (string w in only.Length > 0 ? only.Split(',', StringSplitOptions.RemoveEmptyEntries) : [.. all.Keys])
        {
            all[w]();
        }
    }

    private static void Report(string workload, string @case, string metric, List<double> values, bool higherIsBetter = true, string extra = "")
    {
        var sorted = values.Order().ToList();
        double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]);
        double best = higherIsBetter ? sorted[^1] : sorted[0], worst = higherIsBetter ? sorted[0] : sorted[^1];
        s_out.WriteLine($"{workload} {Peer} threads={s_threads} case={@case} {metric}={G(median)} best={G(best)} worst={G(worst)} reps={sorted.Count}" + (extra.Length > 0 ? " " + extra : ""));
    }

    private static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    // ---- W1: the course's 2-10-1 online SGD, 100,000 steps in 10 timed segments
    private static Sequential<float> W1Network()
    {
        float[] u = PortableData.U01(2, 30);
        return new Sequential<float>(
            new Dense<float>(PortableData.FromOutIn([.. u.Take(20).Select(v => v - 0.5f)], 10, 2), new Tensor<float>(new Shape(10))),
            new ActivationLayer<float>(ActivationKind.Relu),
            new Dense<float>(PortableData.FromOutIn([.. u.Skip(20).Take(10).Select(v => v - 0.5f)], 1, 10), new Tensor<float>(new Shape(1))),
            new ActivationLayer<float>(ActivationKind.Identity)) { CheckValues = false };
    }

    private static void W1()
    {
        const int steps = 100_000, segments = 10, warmup = 2_000;
        float[] u = PortableData.U01(1, 2 * steps);
        var x = new Tensor<float>(1, 2);
        var d = new Tensor<float>(1, 1);
        var loss = new SquaredError<float>(SquaredErrorReduction.SumPerSample);
        float[] losses = new float[steps];

        // the library's small-network path: forward, backward and update fused (Training/FusedSgdStep)
        void Train(FusedSgdStep<float> step, int from, int to)
        {
            Span<float> xs = x.AsSpan(), ds = d.AsSpan();
            for (int i = from; i < to; i++)
            {
                xs[0] = u[2 * i];
                xs[1] = u[(2 * i) + 1];
                // d = 3·x1 + 2·x2
                ds[0] = (3f * xs[0]) + (2f * xs[1]);
                losses[i] = step.Step(xs, ds);
            }
        }

        Train(new FusedSgdStep<float>(W1Network(), loss, 0.07), 0, warmup);
        var fused = new FusedSgdStep<float>(W1Network(), loss, 0.07);
        var rates = new List<double>();
        int segment = steps / segments;
        for (int s = 0; s < segments; s++)
        {
            var clock = Stopwatch.StartNew();
            Train(fused, s * segment, (s + 1) * segment);
            rates.Add(segment / clock.Elapsed.TotalSeconds);
        }

        Report("W1", "online", "steps_per_s", rates, extra: $"final_loss={G(losses.Skip(steps - 1000).Average())}");
    }

    // ---- W2 / W5: 784-256-128-10
    private static readonly int[] Mlp = [784, 256, 128, 10];

    private static Sequential<float> MlpNetwork()
    {
        float[] u = PortableData.U01(3, (784 * 256) + (256 * 128) + (128 * 10));
        var layers = new List<ILayer<float>>();
        int offset = 0;
        for (int k = 0; k < 3; k++)
        {
            int inputs = Mlp[k], outputs = Mlp[k + 1];
            layers.Add(new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, offset, outputs * inputs, 1f / MathF.Sqrt(inputs)), outputs, inputs), new Tensor<float>(new Shape(outputs))));
            offset += outputs * inputs;
            layers.Add(new ActivationLayer<float>(k < 2 ? ActivationKind.Relu : ActivationKind.Softmax));
        }

        return new Sequential<float>(layers) { CheckValues = false };
    }

    private static void W2()
    {
        const int batch = 128, steps = 200, warmup = 20, reps = 5, pool = 20;
        float[] inputs = PortableData.U01(4, batch * pool * 784);
        float[] labels = [.. PortableData.U01(5, batch * pool).Select(v => MathF.Min(MathF.Floor(v * 10f), 9f))];
        var xs = Enumerable.Range(0, pool).Select(k => new Tensor<float>(new Shape(batch, 784), inputs.AsSpan(k * batch * 784, batch * 784).ToArray())).ToArray();
        var ds = Enumerable.Range(0, pool).Select(k => new Tensor<float>(new Shape(batch), labels.AsSpan(k * batch, batch).ToArray())).ToArray();
        Sequential<float> net = MlpNetwork();
        var loss = new CrossEntropy<float>();
        float last = 0;
        int step = 0;
        void Step()
        {
            // forward, loss, backward and the SGD update (lr 0.1), fused: each layer steps as soon as δ has passed it
            last = net.SgdStep(xs[step % pool], ds[step % pool], loss, 0.1);
            step++;
        }

        for (int i = 0; i < warmup; i++)
        {
            Step();
        }

        var rates = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++)
            {
                Step();
            }

            rates.Add(steps * batch / clock.Elapsed.TotalSeconds);
        }

        Report("W2", "b128", "samples_per_s", rates, extra: $"last_loss={G(last)}");
    }

    private static void W5()
    {
        float[] all = PortableData.U01(7, 1024 * 784);
        Sequential<float> net = MlpNetwork();
        foreach ((int batch, int warm, int calls) in new[] { (1, 200, 1000), (1024, 3, 10) })
        {
            var x = new Tensor<float>(new Shape(batch, 784), all.AsSpan(0, batch * 784).ToArray());
            for (int i = 0; i < warm; i++)
            {
                net.Forward(x);
            }

            var rates = new List<double>();
            for (int r = 0; r < 7; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    net.Forward(x);
                }

                rates.Add(calls * batch / clock.Elapsed.TotalSeconds);
            }

            Report("W5", $"b{batch}", "samples_per_s", rates);
        }
    }

    // ---- W3: C = A·B
    private static void W3()
    {
        foreach ((int n, int iterations) in new[] { (256, 200), (512, 30), (1024, 4), (2048, 1) })
        {
            float[] a = [.. PortableData.U01(8, n * n).Select(v => v - 0.5f)];
            float[] b = [.. PortableData.U01(9, n * n).Select(v => v - 0.5f)];
            float[] c = new float[n * n];
            Gemm.Multiply<float>(a, b, c, n, n, n);
            Gemm.Multiply<float>(a, b, c, n, n, n);
            var rates = new List<double>();
            for (int r = 0; r < 7; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < iterations; i++)
                {
                    Gemm.Multiply<float>(a, b, c, n, n, n);
                }

                rates.Add(2.0 * n * n * (double)n * iterations / clock.Elapsed.TotalSeconds / 1e9);
            }

            Report("W3", $"n{n}", "gflops", rates);
        }
    }

    // ---- W4: 2-3-3-1 sigmoid, one XOR point per step
    private static void W4()
    {
        float[] u = PortableData.U01(6, 18);
        var net = new Sequential<float>(
            new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, 0, 6, 1f), 3, 2), new Tensor<float>(new Shape(3))),
            new ActivationLayer<float>(ActivationKind.Sigmoid),
            new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, 6, 9, 1f), 3, 3), new Tensor<float>(new Shape(3))),
            new ActivationLayer<float>(ActivationKind.Sigmoid),
            new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, 15, 3, 1f), 1, 3), new Tensor<float>(new Shape(1))),
            new ActivationLayer<float>(ActivationKind.Identity)) { CheckValues = false };
        Tensor<float>[] xs = [Tensor.Row(0f, 0f), Tensor.Row(0f, 1f), Tensor.Row(1f, 0f), Tensor.Row(1f, 1f)];
        Tensor<float>[] ds = [Tensor.Row(0f), Tensor.Row(1f), Tensor.Row(1f), Tensor.Row(0f)];
        var fused = new FusedSgdStep<float>(net, new SquaredError<float>(SquaredErrorReduction.SumPerSample), 0.1);
        float last = 0;
        void Train(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                last = fused.Step(xs[i & 3].AsSpan(), ds[i & 3].AsSpan());
            }
        }

        Train(0, 1000);
        int k = 1000;
        var us = new List<double>();
        for (int r = 0; r < 7; r++)
        {
            var clock = Stopwatch.StartNew();
            Train(k, k + 2000);
            us.Add(clock.Elapsed.TotalSeconds / 2000 * 1e6);
            k += 2000;
        }

        Report("W4", "online", "us_per_step", us, higherIsBetter: false, extra: $"last_loss={G(last)}");
    }

    // ---- X0: per-call overhead
    private static void X0()
    {
        const int calls = 20_000;
        float[] a = new float[16], b = new float[16];
        Array.Fill(a, 1f);
        Array.Fill(b, 1e-6f);
        float[] x = [1f, 1f], w = new float[20], y = new float[10];
        Array.Fill(w, 1f);
        foreach ((string name, Action op) in new (string, Action)[]
        {
            ("add_inplace", () => TensorPrimitives.Add(a, b, a)),
            ("matmul_1x2x10", () => Gemm.Multiply<float>(x, w, y, 1, 10, 2)),
        })
        {
            var us = new List<double>();
            for (int r = 0; r < 7; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    op();
                }

                us.Add(clock.Elapsed.TotalSeconds / calls * 1e6);
            }

            Report("X0", name, "us_per_op", us, higherIsBetter: false);
        }
    }
}
