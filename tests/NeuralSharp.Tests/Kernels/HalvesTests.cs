using NeuralSharp.Activations;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Kernels;

/// <summary>Passes cut in halves for two threads (pooling, elementwise activations, copies): the definition, and the same bits on one thread and two.</summary>
[Collection(GemmThreads.Name)]
public sealed class HalvesTests
{
    private static float[] Random(int length, ulong seed, int levels = 0)
    {
        var random = new SeededRandom(seed);
        // with levels, values repeat (ties in the pooling windows)
        return [.. Enumerable.Range(0, length).Select(_ => levels > 0 ? MathF.Floor((float)random.NextDouble() * levels) : ((float)random.NextDouble() * 8) - 4)];
    }

    private static T OnThreads<T>(int threads, Func<T> run)
    {
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = threads;
            return run();
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    public void Max_pooling_of_a_large_batch_is_the_definition_on_one_thread_and_two(int size, int stride)
    {
        // 33 images of 16 channels of 24×24: 304,128 inputs, large enough for two threads; values with ties
        const int batch = 33, channels = 16, side = 24;
        float[] x = Random(batch * channels * side * side, 1, levels: 5);
        int outSide = ((side - size) / stride) + 1, outputs = batch * channels * outSide * outSide;
        float[] dy = Random(outputs, 2);
        (float[] Y, float[] Dx) Run()
        {
            var pool = new MaxPool2D<float>(new ImageShape(channels, side, side), size, stride);
            float[] y = pool.Forward(new NDArray<float>(new Shape(batch, channels * side * side), x)).ToArray();
            return (y, pool.Backward(new NDArray<float>(new Shape(batch, pool.Output.Size), dy)).ToArray());
        }

        (float[] y1, float[] dx1) = OnThreads(1, Run);
        (float[] y2, float[] dx2) = OnThreads(2, Run);
        Assert.Equal(y1, y2);
        Assert.Equal(dx1, dx2);
        var expectedDx = new float[x.Length];
        for (int plane = 0, o = 0; plane < batch * channels; plane++)
        {
            for (int oy = 0; oy < outSide; oy++)
            {
                for (int ox = 0; ox < outSide; ox++, o++)
                {
                    // the first largest in reading order takes the gradient
                    int best = -1;
                    for (int i = 0; i < size; i++)
                    {
                        for (int j = 0; j < size; j++)
                        {
                            int at = (plane * side * side) + (((oy * stride) + i) * side) + (ox * stride) + j;
                            if (best < 0 || x[at] > x[best])
                            {
                                best = at;
                            }
                        }
                    }

                    Assert.Equal(x[best], y1[o]);
                    expectedDx[best] += dy[o];
                }
            }
        }

        Assert.Equal(expectedDx, dx1);
    }

    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Tanh)]
    public void A_long_activation_pass_gives_the_same_bits_on_one_thread_and_two(ActivationKind kind)
    {
        // 100,003 values: halves at a whole number of vectors, and a scalar tail
        const int rows = 7, columns = 14_287;
        float[] u = Random(rows * columns, 3), dz = Random(rows * columns, 4);
        (float[] Z, float[] Du) Run()
        {
            var layer = new ActivationLayer<float>(kind);
            float[] z = layer.Forward(new NDArray<float>(new Shape(rows, columns), u)).ToArray();
            return (z, layer.Backward(new NDArray<float>(new Shape(rows, columns), dz)).ToArray());
        }

        (float[] z1, float[] du1) = OnThreads(1, Run);
        (float[] z2, float[] du2) = OnThreads(2, Run);
        Assert.Equal(z1, z2);
        Assert.Equal(du1, du2);
        for (int i = 0; i < u.Length; i += 997)
        {
            float expected = kind switch
            {
                ActivationKind.Sigmoid => 1 / (1 + MathF.Exp(-u[i])),
                ActivationKind.Relu => MathF.Max(0, u[i]),
                _ => MathF.Tanh(u[i]),
            };
            Assert.True(MathF.Abs(z1[i] - expected) < 1e-6f, $"z[{i}] = {z1[i]}, f(u) = {expected}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Long_copies_and_gathered_rows_are_exact(int threads)
    {
        // 200,003 values (a weight matrix and a tail) and 128 rows of 784 gathered from 1,280, some twice
        float[] values = Random(200_003, 5), pool = Random(1280 * 784, 6);
        int[] rows = [.. Enumerable.Range(0, 128).Select(i => (i * 977) % 1280), 3, 3];
        (float[] copy, float[] gathered) = OnThreads(threads, () =>
        {
            var copy = new float[values.Length + 1];
            var gathered = new float[rows.Length * 784];
            Copy.Run<float>(values, copy);
            Copy.Rows<float>(pool, 784, rows, gathered);
            return (copy, gathered);
        });
        Assert.Equal(values, copy[..values.Length]);
        Assert.Equal(0f, copy[^1]);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(pool.AsSpan(rows[i] * 784, 784).ToArray(), gathered.AsSpan(i * 784, 784).ToArray());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Copy.Rows<float>(pool, 784, [1280], new float[784]));
        Assert.Throws<ArgumentException>(() => Copy.Rows<float>(pool, 784, [0, 1], new float[784]));
    }
}
