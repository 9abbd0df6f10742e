using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Serialization;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>The task head: the course's pairs by default, target encodings, the metric's class decision, and refusals.</summary>
public sealed class TaskHeadTests
{
    private static Dataset Classes(int classes, int count = 12) => new("c", [.. Enumerable.Range(0, count).Select(i => (double)i)], ["x"],
        [.. Enumerable.Range(0, count).Select(i => (double)(i % classes))], [.. Enumerable.Range(0, classes).Select(i => $"k{i}")]);

    private static Dataset Numbers() => new("r", [1, 2, 3, 4], ["x"], [10, 20, 30, 40]);

    [Fact]
    public void The_course_pairs_are_the_defaults()
    {
        Assert.Equal((ActivationKind.Identity, 1, LossKind.SquaredError, TargetEncoding.Values), Parts(TaskHead.For(Numbers())));
        Assert.Equal((ActivationKind.Sigmoid, 1, LossKind.BinaryCrossEntropy, TargetEncoding.ZeroOne), Parts(TaskHead.For(Classes(2))));
        Assert.Equal((ActivationKind.Softmax, 3, LossKind.CrossEntropy, TargetEncoding.ClassIndices), Parts(TaskHead.For(Classes(3))));
        // two classes over a softmax are two outputs and class indices
        Assert.Equal((ActivationKind.Softmax, 2, LossKind.CrossEntropy, TargetEncoding.ClassIndices), Parts(TaskHead.For(Classes(2), output: "softmax")));
        Assert.Equal("r2", TaskHead.For(Numbers()).MetricName);
        Assert.Equal("accuracy", TaskHead.For(Classes(3)).MetricName);
        Assert.True(TaskHead.For(Numbers()).ScalesTargets);
    }

    [Fact]
    public void Targets_are_encoded_for_the_loss()
    {
        Dataset two = Classes(2, 4), three = Classes(3, 3);
        Assert.Equal([0f, 1, 0, 1], TaskHead.For(two).EncodeTargets<float>(two).ToArray());
        Assert.Equal(new Shape(4, 1), TaskHead.For(two).EncodeTargets<float>(two).Shape);
        // TensorFlow Playground's labels for a tanh output
        Assert.Equal([-1f, 1, -1, 1], TaskHead.For(TaskKind.BinaryClassification, 2, ActivationKind.Tanh).EncodeTargets<float>(two).ToArray());
        Assert.Equal(new Shape(3), TaskHead.For(three).EncodeTargets<float>(three).Shape);
        // squared error over three outputs takes one-hot rows
        NDArray<float> oneHot = TaskHead.For(TaskKind.MultiClassClassification, 3, ActivationKind.Sigmoid, LossKind.SquaredError).EncodeTargets<float>(three);
        Assert.Equal([1f, 0, 0, 0, 1, 0, 0, 0, 1], oneHot.ToArray());
        var scale = new Standardizer([25], [10]);
        Assert.Equal([-1.5f, -0.5f, 0.5f, 1.5f], TaskHead.For(Numbers()).EncodeTargets<float>(Numbers(), scale).ToArray());
    }

    [Fact]
    public void One_output_decides_its_class_at_the_midpoint_of_its_two_targets()
    {
        var y = new NDArray<float>(new Shape(3, 1), [-0.2f, 0.1f, 0.7f]);
        Assert.Equal([0, 0, 1], TaskHead.For(TaskKind.BinaryClassification, 2).PredictedClasses(y));
        Assert.Equal([0, 1, 1], TaskHead.For(TaskKind.BinaryClassification, 2, ActivationKind.Tanh).PredictedClasses(y));
        var d = new NDArray<float>(new Shape(3, 1), [-1f, 1, 1]);
        Assert.Equal(1.0, TaskHead.For(TaskKind.BinaryClassification, 2, ActivationKind.Tanh).Metric(y, d));
    }

    [Fact]
    public void A_head_that_cannot_learn_the_task_is_refused_naming_the_option()
    {
        OptionException identity = Assert.Throws<OptionException>(() => TaskHead.For(Classes(3), output: "identity"));
        Assert.Equal("output", identity.Option);
        Assert.Equal("loss", Assert.Throws<OptionException>(() => TaskHead.For(Numbers(), loss: "ce")).Option);
        Assert.Equal("output", Assert.Throws<OptionException>(() => TaskHead.For(Numbers(), output: "sigmoidd")).Option);
        Assert.Contains("Known: mse", Assert.Throws<OptionException>(() => TaskHead.For(Numbers(), loss: "hinge")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trained_network_implies_its_head_and_the_model_file_carries_it()
    {
        Sequential<float> net = NetworkBuilder<float>.FromSizes([2, 3, 1], ActivationKind.Relu, ActivationKind.Tanh, seed: 1);
        TaskHead implied = TaskHead.Of(net, TaskKind.BinaryClassification);
        Assert.Equal((ActivationKind.Tanh, 1, LossKind.SquaredError, TargetEncoding.PlusMinusOne), Parts(implied));
        Assert.Equal(TaskKind.MultiClassClassification, TaskHead.Of(NetworkBuilder<float>.FromSizes([2, 3], ActivationKind.Relu, ActivationKind.Softmax)).Task);
        Assert.Equal(TaskKind.BinaryClassification, TaskHead.Of(NetworkBuilder<float>.FromSizes([2, 1], ActivationKind.Relu, ActivationKind.Sigmoid)).Task);
        Assert.Equal(TaskKind.Regression, TaskHead.Of(NetworkBuilder<float>.FromSizes([2, 1], ActivationKind.Relu, ActivationKind.Identity)).Task);
        // a sum-per-sample head survives the model file
        TaskHead sum = TaskHead.For(TaskKind.BinaryClassification, 2, ActivationKind.Tanh, LossKind.SquaredErrorSum);
        string path = Path.Combine(Path.GetTempPath(), $"ns-head-{Guid.NewGuid():N}.nsmodel");
        try
        {
            new Model<float>(net, TaskKind.BinaryClassification, ["a", "b"], ["no", "yes"]) { Head = sum }.Save(path);
            Assert.Equal(sum, Model<float>.Load(path).Head);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_trainer_given_a_head_measures_its_metric()
    {
        Dataset data = Classes(2, 40);
        TaskHead head = TaskHead.For(data);
        Sequential<float> net = NetworkBuilder<float>.FromSizes([1, 4, head.OutputWidth], ActivationKind.Tanh, head.Output, seed: 2);
        var trainer = new Trainer<float>(net, head, new NeuralSharp.Optimizers.Sgd<float>(0.1), new TrainingOptions { Epochs = 2, BatchSize = 8 });
        NDArray<float> x = data.FeatureTensor<float>(), d = head.EncodeTargets<float>(data);
        History history = trainer.Fit(x, d, x, d);
        Assert.Equal("accuracy", history.MetricName);
        Assert.Equal(head.Evaluate(net, x, d, head.CreateLoss<float>()).Metric, history.Epochs[^1].ValidationMetric);
    }

    private static (ActivationKind, int, LossKind, TargetEncoding) Parts(TaskHead head) => (head.Output, head.OutputWidth, head.Loss, head.Targets);
}
