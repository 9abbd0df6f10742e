using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

public sealed class DatasetTests
{
    [Theory]
    [InlineData("iris", 150, 4, 3)]
    [InlineData("breast-cancer", 569, 30, 2)]
    [InlineData("digits", 1797, 64, 10)]
    [InlineData("diabetes", 442, 10, 0)]
    [InlineData("mnist", 10_000, 784, 10)]
    public void Built_in_sets_are_embedded_whole(string name, int count, int features, int classes)
    {
        Dataset data = BuiltInDatasets.Load(name);
        Assert.Equal(count, data.Count);
        Assert.Equal(features, data.FeatureCount);
        Assert.Equal(classes, data.ClassCount);
    }

    [Fact]
    public void Built_in_class_names_and_counts_match_their_sources()
    {
        Assert.Equal(["setosa", "versicolor", "virginica"], BuiltInDatasets.Load("iris").ClassNames!);
        Assert.Equal(["malignant", "benign"], BuiltInDatasets.Load("breast-cancer").ClassNames!);
        Dataset mnist = BuiltInDatasets.Load("mnist");
        int[] counts = [.. Enumerable.Range(0, 10).Select(c => Enumerable.Range(0, mnist.Count).Count(i => mnist.Label(i) == c))];
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], counts);
        Assert.InRange(mnist.Features.ToArray().Max(), 0.99, 1.0);
    }

    [Fact]
    public void Unknown_built_in_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltInDatasets.Load("cifar"));
        Assert.Contains("iris, breast-cancer, digits, diabetes, mnist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_is_seeded_disjoint_and_stratified()
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        (Dataset train, Dataset test) = iris.Split(0.2, seed: 4);
        (Dataset train2, _) = iris.Split(0.2, seed: 4);
        Assert.Equal(120, train.Count);
        Assert.Equal(30, test.Count);
        Assert.Equal(train.Features.ToArray(), train2.Features.ToArray());
        foreach (int c in new[] { 0, 1, 2 })
        {
            Assert.Equal(10, Enumerable.Range(0, test.Count).Count(i => test.Label(i) == c));
        }
    }

    [Fact]
    public void A_split_that_would_leave_a_side_empty_says_how_many_samples_are_needed()
    {
        var tiny = new Dataset("x", [1.0, 2], ["a"], [0.5, 1.5]);
        var error = Assert.Throws<DataFormatException>(() => tiny.Split(0.2, seed: 1));
        Assert.Contains("has 2 samples", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 3 are needed", error.Message, StringComparison.Ordinal);
        var classes = new Dataset("y", [1.0, 2, 3], ["a"], [0, 1, 2], ["p", "q", "r"]);
        Assert.Contains("each class needs at least 3", Assert.Throws<DataFormatException>(() => classes.Split(0.2, seed: 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Standardizer_fits_on_training_data_only()
    {
        (Dataset train, Dataset test) = BuiltInDatasets.Load("breast-cancer").Split(0.3, seed: 1);
        Standardizer scaler = Standardizer.Fit(train);
        Dataset scaledTrain = scaler.Transform(train), scaledTest = scaler.Transform(test);
        for (int j = 0; j < train.FeatureCount; j++)
        {
            double[] column = [.. Enumerable.Range(0, scaledTrain.Count).Select(i => scaledTrain.FeatureRow(i)[j])];
            Assert.Equal(0, column.Average(), 9);
            Assert.Equal(1, Math.Sqrt(column.Average(v => v * v)), 9);
        }

        double testMean = Enumerable.Range(0, scaledTest.Count).Average(i => scaledTest.FeatureRow(i)[0]);
        Assert.NotEqual(0, testMean, 6);
        Assert.Equal((test.FeatureRow(0)[0] - scaler.Mean[0]) / scaler.Deviation[0], scaledTest.FeatureRow(0)[0], 12);
    }

    [Fact]
    public void Refuses_nan_features_naming_feature_and_sample()
    {
        var error = Assert.Throws<NonFiniteValueException>(() => new Dataset("t", [1, double.NaN], ["a", "b"], [0.0]));
        Assert.Contains("feature 'b' of sample 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_come_in_the_form_the_task_loss_wants()
    {
        Assert.Equal(new Shape(150), BuiltInDatasets.Load("iris").TargetTensor<float>().Shape);
        Assert.Equal(new Shape(569, 1), BuiltInDatasets.Load("breast-cancer").TargetTensor<float>().Shape);
        Assert.Equal(new Shape(442, 1), BuiltInDatasets.Load("diabetes").TargetTensor<float>().Shape);
    }
}
