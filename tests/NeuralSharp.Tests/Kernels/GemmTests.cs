using System.Numerics;
using NeuralSharp.Kernels;
using NeuralSharp.Randomness;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Kernels;

[Collection(GemmThreads.Name)]
public sealed class GemmTests
{
    public static TheoryData<int> Sizes() => [.. Enumerable.Range(0, 71)];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Equals_the_reference_for_every_size_and_transpose(int size)
    {
        // square, and rectangular around the size, primes included (every size 0..70 runs)
        foreach ((int m, int n, int k) in new[] { (size, size, size), (size, 3, 7), (1, size, 5), (7, 13, size) })
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    Check<double>(m, n, k, ta, tb, 1e-12);
                    Check<float>(m, n, k, ta, tb, 1e-5);
                }
            }
        }
    }

    [Theory]
    [InlineData(128, 128, 10)] // δ·Wᵀ into an output layer of ten: a short shared dimension
    [InlineData(600, 64, 1)]
    [InlineData(1024, 128, 3)]
    [InlineData(4, 256, 100)] // four to eleven rows: a single edge sliver
    [InlineData(8, 784, 256)]
    [InlineData(11, 40, 90)]
    public void Short_shared_dimensions_and_few_rows_take_the_packed_path_and_match_the_reference(int m, int n, int k)
    {
        // (the fallback tests run this with 512-bit vectors switched off, where the packed path does not apply)
        Assert.Equal(MicroKernel.IsSupported, PackedGemm.Applies(m, n, k));
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                Check<double>(m, n, k, ta, tb, 1e-12);
                Check<float>(m, n, k, ta, tb, 1e-5);
            }
        }
    }

    [Fact]
    public void Accumulate_adds_to_the_existing_product()
    {
        double[] a = [1, 2, 3, 4], b = [5, 6, 7, 8], c = [1, 1, 1, 1];
        Gemm.Multiply<double>(a, b, c, 2, 2, 2, accumulate: true);
        Assert.Equal([20.0, 23, 44, 51], c);
    }

    [Theory]
    [InlineData(130, 257, 600, false, false)] // the packed path, three blocks of the shared dimension
    [InlineData(2, 300, 700, false, false)] // the few-rows path
    [InlineData(67, 10, 300, true, false)] // narrow
    [InlineData(70, 90, 40, false, true)]
    [InlineData(128, 128, 10, false, true)] // packed, a short shared dimension
    [InlineData(6, 100, 50, true, false)] // packed, one edge sliver
    [InlineData(25, 30, 576, false, true)] // a convolution's ∂W for one image: dot products of stored rows
    [InlineData(7, 5, 41, false, true)] // dot products with edge blocks and a tail shorter than a vector
    public void Accumulating_adds_the_product_to_what_c_holds(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new SeededRandom(11);
        float[] a = Random<float>(m * k, random), b = Random<float>(k * n, random), c = Random<float>(m * n, random);
        float[] before = [.. c];
        Gemm.Multiply<float>(a, b, c, m, n, k, transposeA, transposeB, accumulate: true);
        double[] product = ReferenceGemm.Multiply(a, b, m, n, k, transposeA, transposeB);
        for (int i = 0; i < c.Length; i++)
        {
            double expected = before[i] + product[i];
            Assert.True(Math.Abs(c[i] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)) * Math.Sqrt(k), $"[{i}]: {c[i]} vs {expected}");
        }
    }

    [Fact]
    public void Large_product_matches_the_reference()
    {
        Check<float>(130, 257, 300, false, false, 1e-5);
        Check<float>(300, 130, 257, true, false, 1e-5);
        Check<float>(257, 300, 130, false, true, 1e-5);
    }

    public static TheoryData<int> ThreadCounts() => [1, 2];

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void Products_spanning_several_packed_blocks_match_the_reference(int threads)
    {
        // float blocks hold 1,024 columns of B and 256 of the shared dimension (double: 512 and 256); these shapes
        // cross both edges, leave partial tiles, and are large enough to be shared with the helper thread
        int original = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            Check<float>(101, 1100, 300, false, false, 1e-5);
            Check<float>(67, 1030, 520, true, false, 1e-5);
            Check<float>(67, 1030, 520, false, true, 1e-5);
            Check<float>(67, 1030, 520, true, true, 1e-5);
            Check<double>(61, 530, 270, false, false, 1e-12);
            Check<double>(61, 530, 270, true, true, 1e-12);
            // A's rows a multiple of 1 KB apart: packed rather than read in place
            Check<float>(130, 70, 512, false, false, 1e-5);
            Check<double>(100, 40, 256, false, true, 1e-12);
            // shorter products that two threads split by halves of the columns
            Check<float>(530, 70, 300, false, false, 1e-5);
            Check<float>(400, 400, 270, true, true, 1e-5);
            Check<double>(301, 40, 270, false, true, 1e-12);
            // products the two threads share as a team (shared blocks of B, slivers dealt out): too few columns to
            // halve, and long ones over several column blocks and shared-dimension blocks, with an edge sliver
            Check<float>(530, 40, 300, false, false, 1e-5);
            Check<float>(200, 1100, 300, false, false, 1e-5);
            Check<float>(200, 1100, 300, true, true, 1e-5);
            Check<double>(140, 600, 820, false, false, 1e-12);
            Check<double>(140, 600, 820, true, false, 1e-12);
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }

    public static TheoryData<int, int, int> FewRowShapes() => new()
    {
        // the one-to-three-row path: fewer columns than a vector (first row, inner rows and last rows of B), a vector
        // plus a tail, four and eight vectors, and a product large enough to be split with the helper thread
        { 1, 10, 1 }, { 1, 10, 128 }, { 3, 5, 2 }, { 2, 17, 9 }, { 1, 64, 33 }, { 3, 127, 5 }, { 1, 128, 256 },
        { 2, 200, 31 }, { 1, 256, 784 }, { 3, 300, 400 }, { 1, 1030, 129 },
    };

    [Theory]
    [MemberData(nameof(FewRowShapes))]
    public void Few_rows_match_the_reference_on_one_and_two_threads(int m, int n, int k)
    {
        int original = Parallelism.Threads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.Threads = threads;
                foreach (bool ta in new[] { false, true })
                {
                    Check<float>(m, n, k, ta, false, 1e-5);
                    Check<double>(m, n, k, ta, false, 1e-12);
                }
            }
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }

    public static TheoryData<int, int, int> ThreadIndependentShapes() => new()
    {
        // a batch through an output layer of three and of ten (narrow, many rows), a sample's inference (few rows, a
        // long shared dimension), and the packed path large enough for the team and for column halves
        { 1000, 3, 64 }, { 1000, 10, 256 }, { 37, 7, 500 }, { 1, 256, 784 }, { 3, 300, 400 }, { 2, 10, 5000 },
        { 256, 256, 256 }, { 1000, 64, 64 }, { 40, 512, 128 }, { 32, 512, 128 },
        // A packed and taller than B is wide: halves of the rows (a first layer's ∂W = xᵀ·δ, Aᵀ stored, below too)
        { 512, 128, 256 }, { 784, 256, 128 },
    };

    [Theory]
    [MemberData(nameof(ThreadIndependentShapes))]
    public void One_thread_and_two_give_the_same_bits(int m, int n, int k)
    {
        // a model predicts the same on --threads 1 and 2: every split sums in the same order
        int original = Parallelism.Threads;
        try
        {
            var random = new SeededRandom((ulong)((m * 7) + n + k));
            float[] a = Random<float>(m * k, random), b = Random<float>(k * n, random);
            float[] one = new float[m * n], two = new float[m * n];
            var packed = new PackedMatrix<float>();
            packed.Pack(b, k, n, rows: m);
            float[] onePacked = new float[m * n], twoPacked = new float[m * n];
            Parallelism.Threads = 1;
            Gemm.Multiply<float>(a, b, one, m, n, k);
            Gemm.Multiply<float>(a, b, packed, onePacked, m, n, k);
            Parallelism.Threads = 2;
            for (int repeat = 0; repeat < 3; repeat++)
            {
                Gemm.Multiply<float>(a, b, two, m, n, k);
                Gemm.Multiply<float>(a, b, packed, twoPacked, m, n, k);
                Assert.True(one.AsSpan().SequenceEqual(two), $"m={m} n={n} k={k}: two threads differ from one");
                Assert.True(onePacked.AsSpan().SequenceEqual(twoPacked), $"m={m} n={n} k={k}, B packed: two threads differ from one");
            }

            // A stored transposed ([k, m], as xᵀ for ∂W), always packed
            float[] aT = new float[k * m];
            for (int i = 0; i < m; i++)
            {
                for (int p = 0; p < k; p++)
                {
                    aT[(p * m) + i] = a[(i * k) + p];
                }
            }

            float[] oneT = new float[m * n], twoT = new float[m * n];
            Parallelism.Threads = 1;
            Gemm.Multiply<float>(aT, b, oneT, m, n, k, transposeA: true);
            Parallelism.Threads = 2;
            for (int repeat = 0; repeat < 3; repeat++)
            {
                Gemm.Multiply<float>(aT, b, twoT, m, n, k, transposeA: true);
                Assert.True(oneT.AsSpan().SequenceEqual(twoT), $"m={m} n={n} k={k}, Aᵀ stored: two threads differ from one");
            }
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }

    private static void Check<T>(int m, int n, int k, bool transposeA, bool transposeB, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)((m * 1000) + (n * 10) + k));
        T[] a = Random<T>(m * k, random), b = Random<T>(k * n, random);
        var c = new T[m * n];
        Array.Fill(c, T.CreateChecked(99)); // overwritten, not added to
        Gemm.Multiply<T>(a, b, c, m, n, k, transposeA, transposeB);
        double[] expected = ReferenceGemm.Multiply(a, b, m, n, k, transposeA, transposeB);
        for (int i = 0; i < expected.Length; i++)
        {
            double actual = double.CreateChecked(c[i]);
            double scale = Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual - expected[i]) <= tolerance * scale * Math.Max(1, Math.Sqrt(k)),
                $"m={m} n={n} k={k} tA={transposeA} tB={transposeB} [{i}]: {actual} vs {expected[i]}");
        }
    }

    private static T[] Random<T>(int length, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
