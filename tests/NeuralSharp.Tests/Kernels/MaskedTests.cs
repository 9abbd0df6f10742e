using NeuralSharp.Kernels;

namespace NeuralSharp.Tests.Kernels;

public sealed class MaskedTests
{
    [Theory]
    [InlineData(-1.5, 0.0)]
    [InlineData(0.0, 0.0)] // zero is not positive
    [InlineData(1e-30, 7.0)]
    [InlineData(2.0, 7.0)]
    public void Where_positive_for_one_number_keeps_the_value_only_for_positive_u(double u, double expected)
    {
        Assert.Equal(expected, Masked.WherePositive(u, 7.0));
        Assert.Equal((float)expected, Masked.WherePositive((float)u, 7f));
    }

    [Fact]
    public unsafe void Masked_loads_and_stores_touch_only_their_lanes()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return; // the fallback configurations: no caller uses them there
        }

        // ten numbers at the very end of an array: the six lanes past them are neither read nor written
        float[] numbers = [.. Enumerable.Range(1, 26).Select(i => (float)i)];
        var lanes = System.Runtime.Intrinsics.Vector512.LessThan(Masked.LaneIndices<float>(), System.Runtime.Intrinsics.Vector512.Create(10f));
        fixed (float* start = numbers)
        {
            float* last10 = start + 16;
            var loaded = Masked.Load(last10, lanes);
            Assert.Equal([17f, 18, 19, 20, 21, 22, 23, 24, 25, 26, 0, 0, 0, 0, 0, 0], [.. Enumerable.Range(0, 16).Select(i => loaded[i])]);
            Masked.Store(start, lanes, System.Runtime.Intrinsics.Vector512.Create(-1f));
        }

        Assert.Equal([.. Enumerable.Repeat(-1f, 10), .. Enumerable.Range(11, 16).Select(i => (float)i)], numbers);
    }
}
