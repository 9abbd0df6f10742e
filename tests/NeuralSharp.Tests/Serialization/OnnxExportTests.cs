using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;

namespace NeuralSharp.Tests.Serialization;

/// <summary>Exported ONNX files run in ONNX Runtime and give NeuralSharp's predictions; read back, they are the same model.</summary>
public sealed class OnnxExportTests
{
    public static TheoryData<ActivationKind, ActivationKind, TaskKind, bool> Networks()
    {
        var data = new TheoryData<ActivationKind, ActivationKind, TaskKind, bool>();
        ActivationKind[] hidden = [ActivationKind.Identity, ActivationKind.Step, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Relu, ActivationKind.LeakyRelu];
        foreach (ActivationKind f in hidden)
        {
            data.Add(f, ActivationKind.Softmax, TaskKind.MultiClassClassification, false);
            data.Add(f, ActivationKind.Sigmoid, TaskKind.BinaryClassification, false);
            data.Add(f, ActivationKind.Identity, TaskKind.Regression, false);
        }

        // the playground's preset (tanh output), and standardized models of each task
        data.Add(ActivationKind.Tanh, ActivationKind.Tanh, TaskKind.Regression, false);
        data.Add(ActivationKind.Relu, ActivationKind.Softmax, TaskKind.MultiClassClassification, true);
        data.Add(ActivationKind.Sigmoid, ActivationKind.Sigmoid, TaskKind.BinaryClassification, true);
        data.Add(ActivationKind.Tanh, ActivationKind.Identity, TaskKind.Regression, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Onnx_Runtime_gives_the_predictions_of_NeuralSharp(ActivationKind hidden, ActivationKind output, TaskKind task, bool standardized)
    {
        (Model<float> model, Dataset rows) = Build(hidden, output, task, standardized, seed: 11);
        float[] expected = [.. model.Predict(rows).ToArray().Select(v => (float)v)];

        float[] actual = RunInOnnxRuntime(OnnxFile.Serialize(model), rows, out IDictionary<string, string> metadata);

        Assert.Equal(expected.Length, actual.Length);
        // within 1e-5, relative to values beyond 1 (a regression's outputs reach tens, where float32's own step is 2e-6)
        double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max();
        Assert.True(largest <= 1e-5, $"ONNX Runtime differs by {largest:G3}");
        if (hidden == ActivationKind.Step)
        {
            // the step's values are 0 and 1 exactly: the graph must not round them
            Assert.Contains(expected, v => v != 0);
        }

        Assert.Equal(task.ToString(), metadata["neuralsharp.task"]);
        Assert.Equal("""["a","b","c","d"]""", metadata["neuralsharp.features"]);
    }

    [Fact]
    public void The_step_is_zero_at_zero_like_the_course()
    {
        var dense = new Dense<float>(new NDArray<float>(new Shape(1, 1), [1f]), new NDArray<float>(new Shape(1), [0f]), "d1");
        var model = new Model<float>(new Sequential<float>(dense, new ActivationLayer<float>(ActivationKind.Step, "f1")), TaskKind.Regression, ["x"], null);
        var rows = new Dataset("steps", [-1, 0, 1e-30, 2], ["x"], [0, 0, 0, 0]);
        float[] actual = RunInOnnxRuntime(OnnxFile.Serialize(model), rows, out _);
        Assert.Equal([0f, 0f, 1f, 1f], actual);
        Assert.Equal([0.0, 0.0, 1.0, 1.0], model.Predict(rows).ToArray());
    }

    [Fact]
    public void A_batch_of_any_size_runs()
    {
        (Model<float> model, Dataset rows) = Build(ActivationKind.Relu, ActivationKind.Softmax, TaskKind.MultiClassClassification, true, seed: 2);
        using var session = new InferenceSession(OnnxFile.Serialize(model));
        Assert.Equal([-1, 4], session.InputMetadata["input"].Dimensions);
        Assert.Equal([-1, 3], session.OutputMetadata["output"].Dimensions);
        foreach (int batch in new[] { 1, 7 })
        {
            var input = new DenseTensor<float>(new float[batch * 4], [batch, 4]);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
            Assert.Equal(batch * 3, results.Single().AsTensor<float>().Length);
        }

        Assert.Equal(1000, rows.Count);
    }

    [Fact]
    public void A_float64_model_runs_in_float64()
    {
        Sequential<double> network = NetworkBuilder<double>.FromSizes([2, 3, 1], ActivationKind.Tanh, ActivationKind.Identity, seed: 4);
        var model = new Model<double>(network, TaskKind.Regression, ["p", "q"], null);
        using var session = new InferenceSession(OnnxFile.Serialize(model));
        var input = new DenseTensor<double>(new double[] { 0.5, -1.25 }, [1, 2]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        double expected = model.Predict(new Dataset("one", [0.5, -1.25], ["p", "q"], [0])).ToArray()[0];
        Assert.Equal(expected, results.Single().AsTensor<double>()[0], 1e-14);
    }

    [Fact]
    public void Export_then_import_is_the_same_model_and_exports_the_same_bytes()
    {
        foreach ((ActivationKind hidden, ActivationKind output, TaskKind task, bool standardized) in new[]
        {
            (ActivationKind.LeakyRelu, ActivationKind.Softmax, TaskKind.MultiClassClassification, true),
            (ActivationKind.Step, ActivationKind.Sigmoid, TaskKind.BinaryClassification, false),
            (ActivationKind.Tanh, ActivationKind.Identity, TaskKind.Regression, true),
        })
        {
            (Model<float> model, Dataset rows) = Build(hidden, output, task, standardized, seed: 5);
            byte[] exported = OnnxFile.Serialize(model);
            Model<float> imported = OnnxFile.Deserialize<float>(exported, "exported.onnx");

            Assert.Equal(model.Predict(rows).ToArray(), imported.Predict(rows).ToArray());
            Assert.Equal(model.Task, imported.Task);
            Assert.Equal(model.FeatureNames, imported.FeatureNames);
            Assert.Equal(model.ClassNames, imported.ClassNames);
            Assert.Equal(model.TargetName, imported.TargetName);
            Assert.Equal(model.Network.Layers.Select(Describe), imported.Network.Layers.Select(Describe));
            Assert.Equal(exported, OnnxFile.Serialize(imported));
        }
    }

    private static string Describe(ILayer<float> layer) => layer is ActivationLayer<float> a ? a.Activation.Kind.ToString() : $"dense {layer.Name}";

    /// <summary>A seeded model of 4 features → 6 → 5 → outputs, and 1,000 raw rows around (and beyond) its training range.</summary>
    internal static (Model<float> Model, Dataset Rows) Build(ActivationKind hidden, ActivationKind output, TaskKind task, bool standardized, ulong seed)
    {
        int outputs = task == TaskKind.MultiClassClassification ? 3 : 1;
        Sequential<float> network = NetworkBuilder<float>.FromSizes([4, 6, 5, outputs], hidden, output, seed);
        var random = new Random((int)seed);
        double[] features = [.. Enumerable.Range(0, 4000).Select(i => ((random.NextDouble() * 8) - 4) * (1 + (i % 4)) + (10 * (i % 4)))];
        var rows = new Dataset("rows", features, ["a", "b", "c", "d"], new double[1000]);
        Standardizer? standardizer = standardized ? Standardizer.Fit(rows) : null;
        Standardizer? targets = standardized && task == TaskKind.Regression ? new Standardizer([42.5], [3.25]) : null;
        string[]? classes = task switch
        {
            TaskKind.MultiClassClassification => ["setosa", "versicolor", "virginica"],
            TaskKind.BinaryClassification => ["no", "yes"],
            _ => null,
        };
        return (new Model<float>(network, task, ["a", "b", "c", "d"], classes, "kind", standardizer, targets), rows);
    }

    internal static float[] RunInOnnxRuntime(byte[] onnx, Dataset rows, out IDictionary<string, string> metadata)
    {
        using var session = new InferenceSession(onnx);
        metadata = session.ModelMetadata.CustomMetadataMap;
        var input = new DenseTensor<float>(rows.Features.ToArray().Select(v => (float)v).ToArray(), [rows.Count, rows.FeatureCount]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return [.. results.Single().AsTensor<float>()];
    }
}

/// <summary>Day 2's layers in ONNX: Reshape, Conv, MaxPool, Flatten, BatchNormalization (or its arithmetic over images), and dropout left out.</summary>
public sealed class OnnxConvExportTests
{
    [Fact]
    public void Onnx_Runtime_gives_the_predictions_of_a_convolutional_network()
    {
        Sequential<float> network = new NetworkBuilder<float>(new ImageShape(1, 12, 12))
            .Conv2D(6, 3, padding: 1, activation: null).BatchNorm().Activation(ActivationKind.Relu).MaxPool2D(2)
            .Conv2D(4, 3, stride: 2).MaxPool2D(2, stride: 1)
            .Dense(8, null).BatchNorm().Activation(ActivationKind.Tanh).Dropout(0.4).Dense(3, ActivationKind.Softmax)
            .Build(seed: 3);
        var random = new NeuralSharp.Randomness.SeededRandom(4);
        var warm = new NDArray<float>(50, 144);
        for (int i = 0; i < warm.Length; i++)
        {
            warm[i] = (float)random.NextDouble();
        }

        network.Forward(warm); // running statistics away from 0 and 1
        string[] names = [.. Enumerable.Range(0, 144).Select(i => $"p{i}")];
        var model = new Model<float>(network, TaskKind.MultiClassClassification, names, ["a", "b", "c"]);
        var rows = new Dataset("images", [.. warm.ToArray().Select(v => (double)v)], names, new double[50]);
        float[] expected = [.. model.Predict(rows).ToArray().Select(v => (float)v)];

        float[] actual = OnnxExportTests.RunInOnnxRuntime(OnnxFile.Serialize(model), rows, out _);

        double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest <= 1e-5, $"ONNX Runtime differs by {largest:G3}");
    }
}
