namespace NeuralSharp.Tests.Tensors;

public sealed class NDArrayTests
{
    [Fact]
    public void Is_row_major_with_the_batch_first()
    {
        NDArray<double> t = NDArray.FromArray(new[,] { { 1.0, 2, 3 }, { 4.0, 5, 6 } });
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(2, t.Rows);
        Assert.Equal(3, t.Columns);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], t.ToArray());
        Assert.Equal(6.0, t[1, 2]);
        Assert.Equal([4.0, 5, 6], t.Row(1).ToArray());
        Assert.Equal("[[1, 2, 3], [4, 5, 6]]", t.ToString());
    }

    [Fact]
    public void Shapes_print_and_compare_like_numpy()
    {
        Assert.Equal("[784, 40]", new Shape(784, 40).ToString());
        Assert.Equal(new Shape(2, 3), new Shape(2, 3));
        Assert.NotEqual(new Shape(2, 3), new Shape(3, 2));
        Assert.NotEqual(new Shape(6), new Shape(6, 1));
        Assert.Throws<ArgumentException>(() => new Shape(1, 2, 3, 4, 5));
    }

    [Fact]
    public void Wrapping_an_array_of_the_wrong_length_names_both_sizes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new NDArray<float>(new Shape(2, 2), new float[3]));
        Assert.Contains("[2, 2] holds 4 values, but the array has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_index_names_the_shape()
    {
        var t = new NDArray<double>(2, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => t[2, 0]);
        Assert.Contains("[2, 0] is outside a tensor of shape [2, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Converts_between_float_and_double()
    {
        NDArray<float> f = NDArray.Convert<double, float>(NDArray.Row(0.5, 1.25));
        Assert.Equal([0.5f, 1.25f], f.ToArray());
    }

    [Theory]
    [InlineData(3, 5)] // small: a plain array
    [InlineData(784, 256)] // large: a pinned array, started on a cache line
    [InlineData(33, 31)] // 4 KB and a bit, an odd width
    public unsafe void Large_tensors_start_on_a_cache_line_and_behave_like_small_ones(int rows, int columns)
    {
        var tensor = new NDArray<float>(rows, columns);
        if (rows * columns * sizeof(float) >= 4096)
        {
            fixed (float* first = tensor.AsSpan())
            {
                Assert.Equal(0, (long)first % 64);
            }
        }

        Assert.Equal(rows * columns, tensor.Length);
        Assert.Equal(rows * columns, tensor.AsSpan().Length);
        Assert.Equal(rows * columns, tensor.AsMemory().Length);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor[i] = i;
        }

        Assert.Equal(columns + 2, tensor[1, 2]);
        Assert.Equal(columns, tensor.Row(1)[0]);
        Assert.Equal(tensor.Length - 1, tensor.ToArray()[^1]);
        Assert.Equal(tensor.Length - 1, tensor.AsMemory().Span[^1]);
        NDArray<float> copy = tensor.Clone();
        tensor.Fill(-1);
        Assert.Equal(7, copy[7]);
        Assert.Equal(-1, tensor[tensor.Length - 1]);
        tensor.CopyFrom(copy);
        Assert.Equal(copy.ToArray(), tensor.ToArray());
        Assert.Equal((float)columns, tensor.ToArray2D()[1, 0]);
    }
}
