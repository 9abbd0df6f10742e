using System.Globalization;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Serialization;

/// <summary>
/// Against PyTorch, as data made by scripts/golden/interchange.py: ONNX files written by torch.onnx.export import and
/// predict PyTorch's outputs, and the safetensors file NeuralSharp writes loads into PyTorch, predicts NeuralSharp's
/// outputs there and trains on from them as NeuralSharp would.
/// </summary>
public sealed class PyTorchInterchangeTests
{
    private static readonly string Folder = Path.Combine(LineBudgetTests.RepositoryRoot(), "tests", "NeuralSharp.Tests", "Golden", "interchange");

    [Theory]
    [InlineData("multiclass", TaskKind.MultiClassClassification, 4)]
    [InlineData("bias-free", TaskKind.Regression, 3)] // two sigmoid outputs: two values in (0, 1), not one distribution
    [InlineData("regression", TaskKind.Regression, 2)]
    public void An_MLP_exported_by_PyTorch_predicts_what_PyTorch_predicted(string name, TaskKind task, int features)
    {
        Model<float> model = OnnxFile.Load<float>(Path.Combine(Folder, name + ".onnx"));
        Assert.Equal(task, model.Task);
        Assert.Equal(features, model.FeatureNames.Count);
        double[][] input = Rows(name + "-input.csv"), expected = Rows(name + "-output.csv");
        double[] actual = model.Predict(new Dataset(name, [.. input.SelectMany(r => r)], model.FeatureNames, new double[input.Length])).ToArray();
        double largest = expected.SelectMany(r => r).Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest <= 1e-5, $"{name}: NeuralSharp differs from PyTorch by {largest:G3}");
    }

    [Fact]
    public void A_convolutional_network_exported_by_PyTorch_predicts_what_PyTorch_predicted()
    {
        // scripts/golden/convnet.py: Conv(pad 1) ReLU MaxPool(2) Conv(stride 2, pad 1) Tanh Flatten Linear Softmax on [batch, 1, 8, 8]
        Model<float> model = OnnxFile.Load<float>(Path.Combine(Folder, "convnet.onnx"));
        Assert.Equal(TaskKind.MultiClassClassification, model.Task);
        Assert.Equal(64, model.FeatureNames.Count);
        Assert.Equal(["Conv2D`1", "ActivationLayer`1", "MaxPool2D`1", "Conv2D`1", "ActivationLayer`1", "Flatten`1", "Dense`1", "ActivationLayer`1"], [.. model.Network.Layers.Select(l => l.GetType().Name)]);
        double[][] input = Rows("convnet-input.csv"), expected = Rows("convnet-output.csv");
        double[] actual = model.Predict(new Dataset("convnet", [.. input.SelectMany(r => r)], model.FeatureNames, new double[input.Length])).ToArray();
        double largest = expected.SelectMany(r => r).Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest <= 1e-5, $"convnet: NeuralSharp differs from PyTorch by {largest:G3}");
    }

    [Theory]
    [InlineData("rnn-opset13", "SimpleRnn`1")]
    [InlineData("rnn-opset17", "SimpleRnn`1")]
    [InlineData("lstm-opset13", "Lstm`1")]
    [InlineData("lstm-opset17", "Lstm`1")]
    [InlineData("gru-opset13", "Gru`1")]
    [InlineData("gru-opset17", "Gru`1")]
    [InlineData("lstm-hn-opset17", "Lstm`1")]
    public void A_recurrent_network_exported_by_PyTorch_predicts_what_PyTorch_predicted(string name, string layer)
    {
        // scripts/golden/recurrent_onnx.py: nn.RNN / nn.LSTM / nn.GRU (3 → 5, batch_first) and a Linear on out[:, -1] (or h_n[-1])
        // on a [batch, 6, 3] input; the exporter's zero initial state (Shape … ConstantOfShape) folds away
        Model<float> model = OnnxFile.Load<float>(Path.Combine(Folder, name + ".onnx"));
        Assert.Equal([layer, "Dense`1", "ActivationLayer`1"], [.. model.Network.Layers.Select(l => l.GetType().Name)]);
        Assert.Equal(18, model.FeatureNames.Count);
        double[][] input = Rows(name + "-input.csv"), expected = Rows(name + "-output.csv");
        double[] actual = model.Predict(new Dataset(name, [.. input.SelectMany(r => r)], model.FeatureNames, new double[input.Length])).ToArray();
        double largest = expected.SelectMany(r => r).Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest <= 1e-5, $"{name}: NeuralSharp differs from PyTorch by {largest:G3}");
    }

    [Fact]
    public void A_float64_MLP_exported_by_PyTorch_predicts_in_float64()
    {
        Model<double> model = OnnxFile.Load<double>(Path.Combine(Folder, "float64.onnx"));
        double[][] input = Rows("float64-input.csv"), expected = Rows("float64-output.csv");
        double[] actual = model.Predict(new Dataset("f64", [.. input.SelectMany(r => r)], model.FeatureNames, new double[input.Length])).ToArray();
        Assert.True(expected.SelectMany(r => r).Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-12);
    }

    [Theory]
    [InlineData("multiclass")]
    [InlineData("bias-free")]
    [InlineData("regression")]
    public void A_PyTorch_model_round_trips_through_export_and_import(string name)
    {
        Model<float> imported = OnnxFile.Load<float>(Path.Combine(Folder, name + ".onnx"));
        byte[] exported = OnnxFile.Serialize(imported);
        Model<float> again = OnnxFile.Deserialize<float>(exported, "again.onnx");
        Assert.Equal(ModelFile.Serialize(imported), ModelFile.Serialize(again));
        Assert.Equal(exported, OnnxFile.Serialize(again));
    }

    private static (Model<float> Model, Dataset Iris) IrisModel() => ModelFileTests.IrisModel();

    [Fact]
    public void The_committed_safetensors_file_and_script_are_what_NeuralSharp_writes()
    {
        Model<float> model = IrisModel().Model;
        byte[] weights = SafeTensorsFile.Serialize(model);
        string script = PyTorchScript.For(model, "iris.safetensors");
        if (Environment.GetEnvironmentVariable("NEURALSHARP_WRITE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(Folder, "iris.safetensors"), weights);
            File.WriteAllText(Path.Combine(Folder, "iris.py"), script);
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, "iris.safetensors")), weights);
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, "iris.py")), script);
    }

    [Fact]
    public void PyTorch_loading_the_safetensors_file_predicts_what_NeuralSharp_predicts()
    {
        (Model<float> model, Dataset iris) = IrisModel();
        AssertPredictsAsPyTorch(model.Predict(iris).ToArray(), "iris-pytorch-output.csv", 1e-6);
    }

    [Fact]
    public void PyTorch_training_on_from_the_safetensors_file_follows_NeuralSharp()
    {
        (Model<float> model, Dataset iris) = IrisModel();
        NDArray<float> x = model.Standardizer!.Transform(iris).FeatureTensor<float>();
        var d = new NDArray<float>(new Shape(iris.Count), [.. Enumerable.Range(0, iris.Count).Select(i => (float)iris.Label(i))]);
        // PyTorch's cross_entropy has no guard inside the log: ε = 0
        var trainer = new Trainer<float>(model.Network, new CrossEntropy<float>(epsilon: 0), new Sgd<float>(0.1),
            new TrainingOptions { Mode = DescentMode.FullBatch, Epochs = 20, Shuffle = false });
        History history = trainer.Fit(x, d);
        double[] theirs = [.. Rows("iris-pytorch-training.csv").Select(r => r[0])];
        Assert.Equal(20, theirs.Length);
        Assert.True(theirs[^1] < theirs[0] * 0.8, "PyTorch's training did not learn: the golden data is wrong");
        for (int step = 0; step < theirs.Length; step++)
        {
            double difference = Math.Abs(history.StepLosses[step] - theirs[step]) / theirs[step];
            Assert.True(difference <= 1e-5, $"step {step + 1}: PyTorch {theirs[step]:R}, NeuralSharp {history.StepLosses[step]:R}");
        }
    }

    /// <summary>
    /// scripts/golden/batchnorm.py's model on 1×8×8 images: Conv(pad 1) BatchNorm per channel, ReLU, MaxPool(2), Dense(8)
    /// BatchNorm per feature, ReLU, Dense(3) Softmax; its running statistics moved off 0 and 1 by three training-mode
    /// passes over 20 shifted, scaled images, which are also the rows PyTorch predicts and trains on.
    /// </summary>
    internal static (Model<float> Model, Dataset Rows) BatchNormModel()
    {
        Sequential<float> network = new NetworkBuilder<float>(new ImageShape(1, 8, 8))
            .Conv2D(4, 3, padding: 1, activation: null).BatchNorm().Activation(ActivationKind.Relu).MaxPool2D(2)
            .Dense(8, null).BatchNorm().Activation(ActivationKind.Relu).Dense(3, ActivationKind.Softmax).Build(seed: 7);
        var random = new NeuralSharp.Randomness.SeededRandom(8);
        var x = new NDArray<float>(20, 64);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 3) - 1);
        }

        for (int pass = 0; pass < 3; pass++)
        {
            network.Forward(x);
        }

        string[] names = [.. Enumerable.Range(0, 64).Select(i => $"p{i}")];
        var rows = new Dataset("bn", [.. x.ToArray().Select(v => (double)v)], names, [.. Enumerable.Range(0, 20).Select(i => (double)(i % 3))]);
        return (new Model<float>(network, TaskKind.MultiClassClassification, names, ["a", "b", "c"]), rows);
    }

    [Fact]
    public void The_committed_batch_norm_safetensors_file_and_script_are_what_NeuralSharp_writes()
    {
        (Model<float> model, Dataset rows) = BatchNormModel();
        string script = AssertCommitted("convnet-bn", model, rows, withTarget: true);
        // PyTorch's module names: the rows unflattened first (module 0), then the library's layers from module 1
        Assert.Contains("nn.Unflatten(1, (1, 8, 8)),  # 0: rows to images", script, StringComparison.Ordinal);
        Assert.Contains("nn.BatchNorm2d(4, eps=1E-05, momentum=0.1),  # 2:", script, StringComparison.Ordinal);
        Assert.Contains("nn.BatchNorm1d(8, eps=1E-05, momentum=0.1),", script, StringComparison.Ordinal);
    }

    [Fact]
    public void PyTorch_loading_the_batch_norm_safetensors_file_predicts_what_NeuralSharp_predicts()
    {
        (Model<float> model, Dataset rows) = BatchNormModel();
        AssertPredictsAsPyTorch(model.Predict(rows).ToArray(), "convnet-bn-pytorch-output.csv", 1e-5);
    }

    [Fact]
    public void PyTorch_training_the_batch_norm_network_on_from_the_safetensors_file_follows_NeuralSharp()
    {
        // in training mode both normalise by the batch's own statistics, per channel after the convolution: the same
        // losses step for step check the per-channel backward pass against PyTorch's autograd
        (Model<float> model, Dataset rows) = BatchNormModel();
        NDArray<float> x = rows.FeatureTensor<float>();
        var d = new NDArray<float>(new Shape(rows.Count), [.. Enumerable.Range(0, rows.Count).Select(i => (float)rows.Label(i))]);
        var trainer = new Trainer<float>(model.Network, new CrossEntropy<float>(epsilon: 0), new Sgd<float>(0.1),
            new TrainingOptions { Mode = DescentMode.FullBatch, Epochs = 20, Shuffle = false });
        History history = trainer.Fit(x, d);
        double[] theirs = [.. Rows("convnet-bn-pytorch-training.csv").Select(r => r[0])];
        Assert.Equal(20, theirs.Length);
        Assert.True(theirs[^1] < theirs[0] * 0.8, "PyTorch's training did not learn: the golden data is wrong");
        for (int step = 0; step < theirs.Length; step++)
        {
            double difference = Math.Abs(history.StepLosses[step] - theirs[step]) / theirs[step];
            Assert.True(difference <= 1e-5, $"step {step + 1}: PyTorch {theirs[step]:R}, NeuralSharp {history.StepLosses[step]:R}");
        }
    }

    /// <summary>
    /// scripts/golden/recurrent_twin.py's models: the layers PyTorch has no module for, in the twin's own Cell, and both
    /// directions: ids → Embedding(7, 3) → the course's GRU (every step) → bidirectional LSTM (both final states) → Dense(2)
    /// softmax; and rows of 6 steps × 2 → a sigmoid RNN (every step) → bidirectional tanh RNN (every step) → bidirectional
    /// GRU (last) → Dense(1). Their 20 input rows are drawn here.
    /// </summary>
    internal static (Model<float> Model, Dataset Rows)[] RecurrentTwinModels()
    {
        Sequential<float> ids = new NetworkBuilder<float>(inputs: 5).Embedding(vocabulary: 7, dimension: 3)
            .Recurrent("gru", 4, RecurrentOutput.EveryStep, form: GruForm.ResetBeforeProduct).Recurrent("lstm", 3, bidirectional: true)
            .Dense(2, ActivationKind.Softmax).Build(seed: 21, new NeuralSharp.Init.Normal(0.6));
        Sequential<float> series = new NetworkBuilder<float>(new SequenceShape(6, 2)).Recurrent("rnn", 4, RecurrentOutput.EveryStep, ActivationKind.Sigmoid)
            .Recurrent("rnn", 3, RecurrentOutput.EveryStep, bidirectional: true).Recurrent("gru", 2, bidirectional: true)
            .Dense(1, null).Build(seed: 22, new NeuralSharp.Init.Normal(0.6));
        var random = new NeuralSharp.Randomness.SeededRandom(23);
        double[] idRows = [.. Enumerable.Range(0, 20 * 5).Select(_ => (double)random.NextInt(7))];
        double[] seriesRows = [.. Enumerable.Range(0, 20 * 12).Select(_ => (random.NextDouble() * 2) - 1)];
        string[] idNames = [.. Enumerable.Range(0, 5).Select(i => $"w{i}")], seriesNames = [.. Enumerable.Range(0, 12).Select(i => $"s{i}")];
        return
        [
            (new Model<float>(ids, TaskKind.MultiClassClassification, idNames, ["a", "b"]), new Dataset("ids", idRows, idNames, new double[20])),
            (new Model<float>(series, TaskKind.Regression, seriesNames, null), new Dataset("series", seriesRows, seriesNames, new double[20])),
        ];
    }

    [Theory]
    [InlineData(0, "recurrent-ids")]
    [InlineData(1, "recurrent-series")]
    public void PyTorch_loading_a_recurrent_twin_predicts_what_NeuralSharp_predicts(int which, string name)
    {
        (Model<float> model, Dataset rows) = RecurrentTwinModels()[which];
        AssertCommitted(name, model, rows, withTarget: false);
        AssertPredictsAsPyTorch(model.Predict(rows).ToArray(), name + "-pytorch-output.csv", 1e-5);
    }

    [Fact]
    public void A_network_with_batch_norm_exported_by_PyTorch_predicts_what_PyTorch_predicted()
    {
        // scripts/golden/batchnorm.py: Conv ReLU BatchNorm2d MaxPool Flatten Linear BatchNorm1d ReLU Linear Softmax, eval mode
        Model<float> model = OnnxFile.Load<float>(Path.Combine(Folder, "batchnorm.onnx"));
        BatchNorm<float>[] norms = [.. model.Network.Layers.OfType<BatchNorm<float>>()];
        Assert.Equal(2, norms.Length);
        Assert.Equal((4, new ImageShape(4, 8, 8)), (norms[0].Channels, norms[0].Image!.Value));
        Assert.Equal((8, (ImageShape?)null), (norms[1].Channels, norms[1].Image));
        double[][] input = Rows("batchnorm-input.csv"), expected = Rows("batchnorm-output.csv");
        double[] actual = model.Predict(new Dataset("bn", [.. input.SelectMany(r => r)], model.FeatureNames, new double[input.Length])).ToArray();
        double largest = expected.SelectMany(r => r).Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest <= 1e-5, $"batchnorm: NeuralSharp differs from PyTorch by {largest:G3}");
    }

    /// <summary>
    /// The model's safetensors file, its twin script and its rows as CSV (with the target, for training) are the committed
    /// NAME.safetensors, NAME.py and NAME-rows.csv that a golden script ran in PyTorch (NEURALSHARP_WRITE_GOLDEN=1 rewrites
    /// them); returns the script.
    /// </summary>
    private static string AssertCommitted(string name, Model<float> model, Dataset rows, bool withTarget)
    {
        byte[] weights = SafeTensorsFile.Serialize(model);
        string script = PyTorchScript.For(model, name + ".safetensors");
        IEnumerable<string> lines = Enumerable.Range(0, rows.Count).Select(i => string.Join(',',
            (withTarget ? rows.FeatureRow(i).ToArray().Append((double)rows.Label(i)) : rows.FeatureRow(i).ToArray()).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        string input = string.Join('\n', [string.Join(',', withTarget ? model.FeatureNames.Append("target") : model.FeatureNames), .. lines]) + "\n";
        if (Environment.GetEnvironmentVariable("NEURALSHARP_WRITE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(Folder, name + ".safetensors"), weights);
            File.WriteAllText(Path.Combine(Folder, name + ".py"), script);
            File.WriteAllText(Path.Combine(Folder, name + "-rows.csv"), input);
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, name + ".safetensors")), weights);
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, name + ".py")), script);
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, name + "-rows.csv")), input);
        return script;
    }

    /// <summary>NeuralSharp's predictions are PyTorch's (a golden script's run of the twin) within <paramref name="tolerance"/>.</summary>
    private static void AssertPredictsAsPyTorch(double[] ours, string file, double tolerance)
    {
        double[] theirs = [.. Rows(file).SelectMany(r => r)];
        Assert.Equal(ours.Length, theirs.Length);
        double largest = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest <= tolerance, $"{file}: PyTorch differs from NeuralSharp by {largest:G3}");
    }

    private static double[][] Rows(string file) =>
        [.. File.ReadAllLines(Path.Combine(Folder, file)).Skip(1).Where(line => line.Length > 0)
            .Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
}
