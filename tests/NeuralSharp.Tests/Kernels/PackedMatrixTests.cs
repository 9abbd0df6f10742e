using NeuralSharp.Kernels;
using NeuralSharp.Randomness;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Kernels;

/// <summary>B packed once (<see cref="PackedMatrix{T}"/>, a recurrent layer's W_h) gives the products B as stored gives.</summary>
[Collection(GemmThreads.Name)]
public sealed class PackedMatrixTests
{
    [Theory]
    [InlineData(32, 512, 128, false, false)] // an LSTM step: [batch, H]·[H, 4H]
    [InlineData(32, 128, 512, true, true)] // its step back: δ·W_hᵀ
    [InlineData(13, 1100, 300, false, true)] // several blocks of columns and of the shared dimension
    [InlineData(1, 16, 16, true, false)] // one row: not packed, the plain product
    [InlineData(5, 40, 33, false, false)] // an edge sliver
    public void A_product_with_packed_b_equals_the_plain_one(int m, int n, int k, bool transposeB, bool accumulate)
    {
        var random = new SeededRandom((ulong)(m + n + k));
        float[] a = Values(m * k, random), b = Values(k * n, random), start = Values(m * n, random);
        var packed = new PackedMatrix<float>();
        packed.Pack(b, k, n, rows: m, transposeB);
        float[] expected = [.. start], actual = [.. start];
        Gemm.Multiply<float>(a, b, expected, m, n, k, transposeB: transposeB, accumulate: accumulate);
        Gemm.Multiply<float>(a, b, packed, actual, m, n, k, accumulate);
        Assert.True(m > 3 || !packed.IsPacked, "a product of a few rows never takes the packed path");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: {actual[i]} vs {expected[i]}");
        }
    }

    [Theory]
    [InlineData(32, 512, 128, false)] // an LSTM step: halves of the 512 gate columns on two threads
    [InlineData(20, 1000, 100, true)] // columns not a whole number of slivers in the second half; accumulating
    [InlineData(35, 96, 256, false)] // k = KC: still one block
    [InlineData(32, 128, 512, false)] // k over one block: on one thread, as before
    public void Halves_of_the_columns_on_two_threads_give_the_bits_of_one(int m, int n, int k, bool accumulate)
    {
        int original = Parallelism.Threads;
        try
        {
            var random = new SeededRandom((ulong)(m * n) + (ulong)k);
            float[] a = Values(m * k, random), b = Values(k * n, random), start = Values(m * n, random);
            var packed = new PackedMatrix<float>();
            packed.Pack(b, k, n, rows: m);
            float[] one = [.. start], plain = [.. start];
            Parallelism.Threads = 1;
            Gemm.Multiply<float>(a, b, packed, one, m, n, k, accumulate);
            Gemm.Multiply<float>(a, b, plain, m, n, k, accumulate: accumulate);
            Parallelism.Threads = 2;
            for (int repeat = 0; repeat < 3; repeat++)
            {
                float[] two = [.. start];
                Gemm.Multiply<float>(a, b, packed, two, m, n, k, accumulate);
                Assert.True(one.AsSpan().SequenceEqual(two), $"m={m} n={n} k={k}: two threads differ from one");
            }

            for (int i = 0; i < one.Length; i++)
            {
                Assert.True(Math.Abs(plain[i] - one[i]) <= 1e-5f * Math.Max(1, Math.Abs(plain[i])), $"[{i}]: {one[i]} vs {plain[i]}");
            }
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }

    [Fact]
    public void A_few_rows_times_a_stored_transpose_are_dot_products()
    {
        var random = new SeededRandom(4);
        double[] a = [.. Values(3 * 37, random).Select(v => (double)v)], b = [.. Values(21 * 37, random).Select(v => (double)v)];
        var c = new double[3 * 21];
        Array.Fill(c, 1.0);
        Gemm.Multiply<double>(a, b, c, 3, 21, 37, transposeB: true, accumulate: true);
        double[] expected = ReferenceGemm.Multiply(a, b, 3, 21, 37, false, true);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.Equal(expected[i] + 1, c[i], 12);
        }
    }

    private static float[] Values(int length, SeededRandom random) => [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}
