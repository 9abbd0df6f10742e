using System.Diagnostics;
using System.Numerics.Tensors;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;

namespace NeuralSharp.Bench;

/// <summary>The inference and kernel workloads: W5 through the network's forward pass, W3 and X0 through the kernels' entry points.</summary>
public static partial class Workloads
{
    // ---- W5: W2's network, forward only (with the value checks a user's prediction gets)
    private static void W5()
    {
        float[] all = PortableData.U01(7, 1024 * 784);
        Sequential<float> net = MlpNetwork();
        foreach ((int batch, int warm, int calls) in new[] { (1, 200, 1000), (1024, 3, 10) })
        {
            var x = new NDArray<float>(new Shape(batch, 784), all.AsSpan(0, batch * 784).ToArray());
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
