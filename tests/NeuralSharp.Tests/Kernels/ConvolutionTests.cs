using NeuralSharp.Kernels;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Kernels;

/// <summary>The convolution one image at a time: its gradients against the definition, and the same bits on one thread and two.</summary>
[Collection(GemmThreads.Name)]
public sealed class ConvolutionTests
{
    private static double[] Random(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1)];
    }

    public static TheoryData<int, int, int, int, int, int, int, int> Shapes() => new()
    {
        { 1, 2, 6, 5, 3, 3, 1, 0 }, // one image: no halves to share
        { 7, 2, 7, 6, 4, 3, 2, 1 }, // an odd batch, stride and padding
        { 8, 1, 28, 28, 30, 5, 5, 0 }, // the course's SimpleConvNet: large enough for two threads
        { 5, 3, 12, 12, 20, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_are_those_of_the_definition(int batch, int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var shape = new ConvolutionShape(channels, height, width, filters, kernel, kernel, stride, padding);
        double[] x = Random(batch * shape.InputSize, 1), w = Random(shape.Taps * filters, 2), b = Random(filters, 3), delta = Random(batch * shape.OutputSize, 4);
        (double[] u, double[] dw, double[] db, double[] dx) = Run(shape, batch, x, w, b, delta, threads: 2);
        int oh = shape.OutputHeight, ow = shape.OutputWidth;
        var expectedU = new double[u.Length];
        var expectedDw = new double[dw.Length];
        var expectedDb = new double[db.Length];
        var expectedDx = new double[dx.Length];
        for (int n = 0; n < batch; n++)
        {
            for (int f = 0; f < filters; f++)
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int o = (((n * filters) + f) * oh * ow) + (oy * ow) + ox;
                        expectedU[o] = b[f];
                        expectedDb[f] += delta[o];
                        for (int c = 0; c < channels; c++)
                        {
                            for (int i = 0; i < kernel; i++)
                            {
                                for (int j = 0; j < kernel; j++)
                                {
                                    int yy = (oy * stride) + i - padding, xx = (ox * stride) + j - padding;
                                    if (yy < 0 || yy >= height || xx < 0 || xx >= width)
                                    {
                                        continue;
                                    }

                                    // u = Σ W·x: ∂L/∂W += δ·x, ∂L/∂x += δ·W
                                    int tap = (((c * kernel) + i) * kernel) + j, pixel = (n * shape.InputSize) + (((c * height) + yy) * width) + xx;
                                    expectedU[o] += w[(tap * filters) + f] * x[pixel];
                                    expectedDw[(tap * filters) + f] += delta[o] * x[pixel];
                                    expectedDx[pixel] += delta[o] * w[(tap * filters) + f];
                                }
                            }
                        }
                    }
                }
            }
        }

        AssertClose(expectedU, u, "u");
        AssertClose(expectedDw, dw, "∂W");
        AssertClose(expectedDb, db, "∂b");
        AssertClose(expectedDx, dx, "∂x");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void One_thread_and_two_give_the_same_bits(int batch, int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var shape = new ConvolutionShape(channels, height, width, filters, kernel, kernel, stride, padding);
        double[] x = Random(batch * shape.InputSize, 5), w = Random(shape.Taps * filters, 6), b = Random(filters, 7), delta = Random(batch * shape.OutputSize, 8);
        var one = Run(shape, batch, x, w, b, delta, threads: 1);
        var two = Run(shape, batch, x, w, b, delta, threads: 2);
        Assert.Equal(one.U, two.U);
        Assert.Equal(one.Dw, two.Dw);
        Assert.Equal(one.Db, two.Db);
        Assert.Equal(one.Dx, two.Dx);
        float[] xf = [.. x.Select(v => (float)v)], wf = [.. w.Select(v => (float)v)], bf = [.. b.Select(v => (float)v)], deltaf = [.. delta.Select(v => (float)v)];
        Assert.Equal(Run(shape, batch, xf, wf, bf, deltaf, threads: 1), Run(shape, batch, xf, wf, bf, deltaf, threads: 2), new BitsEqual());
    }

    [Fact]
    public void Spans_too_short_for_the_batch_are_refused()
    {
        var shape = new ConvolutionShape(1, 5, 5, 2, 3, 3, 1, 0);
        var error = Assert.Throws<ArgumentException>(() => Convolution.Forward<double>(shape, 2, new double[49], new double[18], new double[2], new double[2 * 81], new double[2 * 18]));
        Assert.Contains("batch of 2", error.Message, StringComparison.Ordinal);
    }

    private static (T[] U, T[] Dw, T[] Db, T[] Dx) Run<T>(ConvolutionShape shape, int batch, T[] x, T[] w, T[] b, T[] delta, int threads)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = threads;
            var col = new T[batch * shape.Taps * shape.Positions];
            var u = new T[batch * shape.OutputSize];
            var dw = new T[w.Length];
            var db = new T[b.Length];
            var dx = new T[x.Length];
            Convolution.Forward<T>(shape, batch, x, w, b, col, u);
            Convolution.Backward<T>(shape, batch, col, delta, w, dw, db, dx);
            return (u, dw, db, dx);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-11 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]} where the definition gives {expected[i]}");
        }
    }

    private sealed class BitsEqual : IEqualityComparer<(float[] U, float[] Dw, float[] Db, float[] Dx)>
    {
        public bool Equals((float[] U, float[] Dw, float[] Db, float[] Dx) a, (float[] U, float[] Dw, float[] Db, float[] Dx) b) =>
            a.U.SequenceEqual(b.U) && a.Dw.SequenceEqual(b.Dw) && a.Db.SequenceEqual(b.Db) && a.Dx.SequenceEqual(b.Dx);

        public int GetHashCode((float[] U, float[] Dw, float[] Db, float[] Dx) value) => 0;
    }
}
