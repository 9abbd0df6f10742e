using NeuralSharp.Data;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Data;

/// <summary>One preparation: test, then validation from the rest, stratified; scaling fitted on the training rows only.</summary>
public sealed class PreparedDataTests
{
    [Fact]
    public void Rows_are_split_into_training_validation_and_test_stratified()
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        PreparedData<float> prepared = PreparedData<float>.Prepare(iris, new DataSplit(0.2, 0.25, Seed: 3), TaskHead.For(iris));
        Assert.Equal(30, prepared.TestX.Rows);
        Assert.Equal(30, prepared.ValidationX!.Rows);
        Assert.Equal(90, prepared.TrainX.Rows);
        // stratified: each class gives a tenth of its 50 rows to the test and to validation
        Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(10, prepared.TestTargets.ToArray().Count(v => (int)v == k)));
        Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(10, prepared.ValidationD!.ToArray().Count(v => (int)v == k)));
        // no row in two parts: all 150 rows are different in iris but for a few duplicates, so count distinct feature rows
        string Key(ReadOnlySpan<float> row) => string.Join(",", row.ToArray());
        var train = Enumerable.Range(0, 90).Select(i => Key(prepared.TrainX.Row(i))).ToHashSet();
        var validation = Enumerable.Range(0, 30).Select(i => Key(prepared.ValidationX.Row(i))).ToHashSet();
        Assert.True(train.Intersect(validation).Count() <= 2, "validation rows reappear in training");
    }

    [Fact]
    public void The_standardizer_is_fitted_on_the_training_rows_alone()
    {
        Dataset data = BuiltInDatasets.Load("diabetes");
        PreparedData<double> prepared = PreparedData<double>.Prepare(data, new DataSplit(), TaskHead.For(data));
        for (int j = 0; j < data.FeatureCount; j++)
        {
            double mean = Enumerable.Range(0, prepared.TrainX.Rows).Average(i => prepared.TrainX[i, j]);
            Assert.True(Math.Abs(mean) < 1e-9, $"feature {j}: training mean {mean}");
        }

        // regression targets are trained standardized, and the test keeps them in their own units
        Assert.NotNull(prepared.TargetScale);
        Assert.True(Math.Abs(prepared.TrainD.ToArray().Average()) < 1e-9);
        Assert.True(prepared.TestTargets.ToArray().Average() > 50);
        double[] back = prepared.TestD.ToArray();
        prepared.TargetScale!.InverseTransform(back);
        Assert.Equal(prepared.TestTargets.ToArray(), back, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void Images_go_in_as_their_pixels_and_a_zero_validation_share_holds_none_out()
    {
        Dataset mnist = BuiltInDatasets.Load("mnist");
        PreparedData<float> prepared = PreparedData<float>.Prepare(mnist, new DataSplit(0.5, 0), TaskHead.For(mnist), standardizeFeatures: false);
        Assert.Null(prepared.ValidationX);
        Assert.Null(prepared.ValidationD);
        Assert.InRange(prepared.TrainX.ToArray().Max(), 0.99f, 1f);
        Assert.Equal(0f, prepared.TrainX.ToArray().Min());
    }

    [Fact]
    public void Standardizing_straight_to_float_gives_the_values_of_a_copy_then_a_conversion()
    {
        Dataset data = BuiltInDatasets.Load("breast-cancer");
        Standardizer scaler = Standardizer.Fit(data);
        Assert.Equal(scaler.Transform(data).FeatureTensor<float>().ToArray(), scaler.TransformTo<float>(data).ToArray());
    }

    [Theory]
    [InlineData(0.0, 0.2, "test-split")]
    [InlineData(0.2, 1.0, "val-split")]
    public void A_fraction_out_of_range_is_refused_by_name(double test, double validation, string option)
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        Assert.Equal(option, Assert.Throws<OptionException>(() => PreparedData<float>.Prepare(iris, new DataSplit(test, validation), TaskHead.For(iris))).Option);
    }

    [Fact]
    public void Preparing_by_row_indices_gives_what_splitting_copies_gives()
    {
        // the same split as Dataset.Split of the whole, then of its training part, then Standardizer.Fit on that
        Dataset digits = BuiltInDatasets.Load("digits");
        var split = new DataSplit(0.2, 0.25, Seed: 9);
        PreparedData<float> prepared = PreparedData<float>.Prepare(digits, split, TaskHead.For(digits));
        (Dataset rest, Dataset test) = digits.Split(0.2, 9);
        (Dataset train, Dataset validation) = rest.Split(0.25, split.ValidationSeed);
        Standardizer scaler = Standardizer.Fit(train);
        Assert.Equal(scaler.Mean, prepared.Features.Mean);
        Assert.Equal(scaler.Deviation, prepared.Features.Deviation);
        Assert.Equal(scaler.Transform(train).FeatureTensor<float>().ToArray(), prepared.TrainX.ToArray());
        Assert.Equal(scaler.Transform(validation).FeatureTensor<float>().ToArray(), prepared.ValidationX!.ToArray());
        Assert.Equal(scaler.Transform(test).FeatureTensor<float>().ToArray(), prepared.TestX.ToArray());
        Assert.Equal(test.Targets.ToArray(), prepared.TestTargets.ToArray());
    }

    [Fact]
    public void A_value_beyond_float32_after_scaling_is_refused_at_its_row_and_column_before_training()
    {
        // row 2 of the file holds 1e39: in the test rows, scaled by the training rows' μ and σ it is no float32
        double[] a = [1, 1e39, 2, 3, 1, 2, 3, 1, 2, 3];
        var data = new Dataset("big", [.. a.SelectMany((v, i) => new[] { v, (i % 3) + 1.0 })], ["a", "b"], [.. Enumerable.Range(0, 10).Select(i => (double)(i % 2))], ["0", "1"], "y");
        var config = new NeuralSharp.Training.RunConfig { Data = "big" };
        var error = Assert.Throws<DataFormatException>(() => config.Prepare<float>(data));
        Assert.StartsWith("'big' row 2, column 'a' holds 1E+39", error.Message, StringComparison.Ordinal);
    }
}
