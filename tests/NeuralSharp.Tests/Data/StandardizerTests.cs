using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

public sealed class StandardizerTests
{
    private static double[] Rows(int count, int width, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count * width).Select(i => (i % width == 2 ? 5.0 : random.NextDouble() * 100) - 30)];
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(1, 1)]
    [InlineData(200, 33)]
    public void Fit_and_transform_give_the_formula_bit_for_bit(int count, int width)
    {
        double[] rows = Rows(count, width, count * width);
        // the formula element by element, in the same order: μ = Σ x/n, σ² = Σ (x − μ)²/n, x' = (x − μ)/σ
        var mean = new double[width];
        var sigma = new double[width];
        for (int i = 0; i < rows.Length; i++)
        {
            mean[i % width] += rows[i] / count;
        }

        for (int i = 0; i < rows.Length; i++)
        {
            sigma[i % width] += (rows[i] - mean[i % width]) * (rows[i] - mean[i % width]) / count;
        }

        sigma = [.. sigma.Select(v => Math.Sqrt(v) > 1e-12 ? Math.Sqrt(v) : 1)];
        Standardizer scaler = Standardizer.Fit(rows, width);
        Assert.Equal(mean, scaler.Mean);
        Assert.Equal(sigma, scaler.Deviation);
        double[] transformed = [.. rows];
        scaler.Transform(transformed);
        Assert.Equal([.. rows.Select((x, i) => (x - mean[i % width]) / sigma[i % width])], transformed);
    }

    [Fact]
    public void A_constant_column_keeps_its_scale_and_inverse_transform_undoes_transform()
    {
        double[] rows = Rows(50, 4, 1);
        Standardizer scaler = Standardizer.Fit(rows, 4);
        Assert.Equal(1.0, scaler.Deviation[2]);
        Assert.Equal(5.0 - 30, scaler.Mean[2], 12);
        double[] roundTrip = [.. rows];
        scaler.Transform(roundTrip);
        Assert.InRange(roundTrip.Where((_, i) => i % 4 == 2).Max(Math.Abs), 0, 1e-12);
        scaler.InverseTransform(roundTrip);
        Assert.All(roundTrip.Zip(rows), p => Assert.Equal(p.Second, p.First, 1e-12));
    }

    [Fact]
    public void Rows_of_another_width_are_refused()
    {
        Standardizer scaler = Standardizer.Fit(Rows(10, 3, 2), 3);
        Assert.Throws<ShapeMismatchException>(() => scaler.Transform(new double[7]));
    }

    [Fact]
    public void A_data_sets_float_tensor_is_each_value_rounded_to_float()
    {
        Dataset digits = BuiltInDatasets.Load("digits");
        Dataset scaled = Standardizer.Fit(digits).Transform(digits);
        Assert.Equal([.. scaled.Features.ToArray().Select(v => (float)v)], scaled.FeatureTensor<float>().AsSpan().ToArray());
    }
}
