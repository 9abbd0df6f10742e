using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using NeuralSharp.Tests.TestSupport;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A seeded 4-8-3 tanh/softmax model of iris, standardized on all 150 rows (also behind the committed Golden/interchange/iris.safetensors).</summary>
    internal static (Model<float> Model, Dataset Data) IrisModel()
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        Sequential<float> net = NetworkBuilder<float>.FromSizes([4, 8, 3], ActivationKind.Tanh, ActivationKind.Softmax, seed: 3);
        return (new Model<float>(net, iris.Task, iris.FeatureNames, iris.ClassNames, iris.TargetName, Standardizer.Fit(iris)), iris);
    }

    [Fact]
    public void Round_trip_gives_bit_identical_predictions()
    {
        (Model<float> model, Dataset iris) = IrisModel();
        string path = Path.Combine(_folder, "iris.nsmodel");
        ModelFile.Save(path, model);
        Model<float> loaded = ModelFile.Load<float>(path);

        Assert.Equal(model.Predict(iris).ToArray(), loaded.Predict(iris).ToArray());
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.Standardizer!.Mean, loaded.Standardizer!.Mean);
        Assert.Equal(model.Network.Layers.Select(l => l.Name), loaded.Network.Layers.Select(l => l.Name));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_model_with_a_weight_that_is_not_finite_is_not_saved()
    {
        (Model<float> model, _) = IrisModel();
        string path = Path.Combine(_folder, "broken.nsmodel");
        model.Network.Parameters[2].Value[1] = float.PositiveInfinity;
        var error = Assert.Throws<NonFiniteValueException>(() => ModelFile.Save(path, model));
        Assert.Contains("dense2.W", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_file_whose_weights_are_not_finite_is_refused_on_load()
    {
        (Model<float> model, _) = IrisModel();
        model.Network.Parameters[0].Value[3] = float.NaN;
        byte[] bytes = ModelFile.Serialize(model);
        string error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(bytes, "nan.nsmodel")).Message;
        Assert.Contains("not finite numbers in 'dense1.W'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_save_removes_what_killed_saves_of_the_same_file_left_and_leaves_nothing_of_its_own()
    {
        (Model<float> model, _) = IrisModel();
        string path = Path.Combine(_folder, "m.nsmodel");
        string stale = Path.Combine(_folder, $".m.nsmodel.{int.MaxValue}-deadbeef{AtomicFile.PartialSuffix}");
        string live = Path.Combine(_folder, $".m.nsmodel.{Environment.ProcessId}-cafef00d{AtomicFile.PartialSuffix}");
        string other = Path.Combine(_folder, $".other.nsmodel.{int.MaxValue}-deadbeef{AtomicFile.PartialSuffix}");
        foreach (string file in new[] { stale, live, other })
        {
            File.WriteAllText(file, "half a model");
        }

        ModelFile.Save(path, model);
        Assert.False(File.Exists(stale)); // its process is gone
        Assert.True(File.Exists(live)); // this process may still be writing it
        Assert.True(File.Exists(other)); // another target's
        Assert.Equal(3, Directory.GetFiles(_folder).Length); // the model, and the two kept
    }

    [Fact]
    public void Leaky_relu_keeps_its_own_slope()
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        var net = new Sequential<float>(new Dense<float>(4, 5), new ActivationLayer<float>(new LeakyRelu<float>(0.2)), new Dense<float>(5, 3), new ActivationLayer<float>(ActivationKind.Softmax));
        string path = Path.Combine(_folder, "leaky.nsmodel");
        ModelFile.Save(path, new Model<float>(net, iris.Task, iris.FeatureNames, iris.ClassNames, iris.TargetName));
        var loaded = (LeakyRelu<float>)((ActivationLayer<float>)ModelFile.Load<float>(path).Network.Layers[1]).Activation;
        Assert.Equal(0.2f, loaded.Alpha);
    }

    [Fact]
    public void An_activation_from_outside_the_library_is_not_saved_under_a_library_name()
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        var net = new Sequential<float>(new Dense<float>(4, 3), new ActivationLayer<float>(new OwnRelu()));
        string path = Path.Combine(_folder, "own.nsmodel");
        var error = Assert.Throws<NotSupportedException>(() => ModelFile.Save(path, new Model<float>(net, iris.Task, iris.FeatureNames, iris.ClassNames, iris.TargetName)));
        Assert.Contains("OwnRelu", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_float_model_loads_as_double_with_the_same_weights()
    {
        (Model<float> model, _) = IrisModel();
        Model<double> asDouble = ModelFile.Deserialize<double>(ModelFile.Serialize(model), "m");
        Assert.Equal(model.Network.Parameters.SelectMany(p => p.Value.ToArray()).Select(v => (double)v),
            asDouble.Network.Parameters.SelectMany(p => p.Value.ToArray()));
    }

    [Fact]
    public void Truncated_file_is_refused()
    {
        byte[] bytes = ModelFile.Serialize(IrisModel().Model);
        foreach (int length in new[] { 0, 10, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(bytes[..length], "m.nsmodel"));
            Assert.StartsWith("m.nsmodel ", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() =>
            ModelFile.Deserialize<float>(bytes[..^1], "m")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_flipped_bit_is_caught()
    {
        byte[] bytes = ModelFile.Serialize(IrisModel().Model);
        for (int i = 16; i < bytes.Length; i += 7)
        {
            byte[] copy = [.. bytes];
            copy[i] ^= 0x10;
            Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(copy, "m"));
        }
    }

    public static TheoryData<string, string, string> EditedHeaders() => new()
    {
        // what a careless edit or an attacker writes into the header, re-signed so that only the header is wrong
        { "\"inputs\":4,\"outputs\":8", "\"inputs\":40000,\"outputs\":40000", "claims more weights" },
        { "\"inputs\":4,\"outputs\":8", "\"inputs\":2147483647,\"outputs\":8", "each side must be 1" },
        { "\"layers\":[", "\"layers\":null,\"x\":[", "has no layers" },
        { "\"classNames\":[", "\"classNames\":[\"extra\",", "classes for a network of 3 outputs" },
        { "\"featureNames\":[", "\"featureNames\":[\"extra\",", "features for a network of 4 inputs" },
        { "\"mean\":[", "\"mean\":[1,", "standardizer" },
        // every field a later command needs is checked when the file is read (export, predict)
        { "\"targetName\":", "\"targetName\":null,\"x\":", "field targetName" },
        { "\"loss\":\"", "\"loss\":\"hinge\",\"x\":\"", "field loss" },
        { "\"targetName\":", "\"configuration\":\"[1]\",\"targetName\":", "field configuration" },
    };

    [Fact]
    public void A_standardizer_that_divides_by_zero_is_refused_when_the_file_is_read()
    {
        Model<float> iris = IrisModel().Model;
        var zero = new Model<float>(iris.Network, iris.Task, iris.FeatureNames, iris.ClassNames, iris.TargetName, new Standardizer([0, 0, 0, 0], [1, 0, 1, 1]));
        string error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(ModelFile.Serialize(zero), "m.nsmodel")).Message;
        Assert.Contains("field deviation, entry 2", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EditedHeaders))]
    public void A_header_that_does_not_fit_its_payload_is_refused_before_anything_is_allocated(string find, string replace, string expected)
    {
        byte[] bytes = ModelFile.Serialize(IrisModel().Model);
        string header = ModelBytes.Header(bytes);
        Assert.Contains(find, header, StringComparison.Ordinal);
        byte[] edited = ModelBytes.Resign(bytes, header.Replace(find, replace, StringComparison.Ordinal));
        long before = GC.GetAllocatedBytesForCurrentThread();
        string error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(edited, "m.nsmodel")).Message;
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20), "refused only after a large allocation");
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_future_version_asks_for_an_update()
    {
        byte[] bytes = ModelFile.Serialize(IrisModel().Model);
        bytes[8] = 9;
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(bytes, "m"));
        Assert.Contains("newer NeuralSharp (model format 9)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_file_is_not_taken_for_a_model()
    {
        string path = Path.Combine(_folder, "notes.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        Assert.Contains("is not a NeuralSharp model file", Assert.Throws<DataFormatException>(() => ModelFile.Load<float>(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_over_a_model_replaces_it_whole()
    {
        string path = Path.Combine(_folder, "m.nsmodel");
        (Model<float> model, Dataset iris) = IrisModel();
        ModelFile.Save(path, model);
        model.Network.Parameters[0].Value[0] += 1;
        ModelFile.Save(path, model);
        Assert.Equal(model.Predict(iris).ToArray(), ModelFile.Load<float>(path).Predict(iris).ToArray());
        Assert.Single(Directory.GetFiles(_folder));
    }
}

public sealed class CheckpointTests
{
    [Fact]
    public void Writes_the_model_after_epochs_that_improve()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ns-{Guid.NewGuid():N}.nsmodel");
        Dataset data = Generators.CourseRegression(200, seed: 1);
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 8, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 2);
        var model = new Model<double>(net, data.Task, data.FeatureNames, null, "d");
        var checkpoint = new Checkpoint<double>(path, model, onlyWhenBetter: true);
        try
        {
            new NeuralSharp.Training.Trainer<double>(net, new NeuralSharp.Losses.SquaredError<double>(), new NeuralSharp.Optimizers.Sgd<double>(0.05),
                new NeuralSharp.Training.TrainingOptions { Epochs = 5, Callbacks = [checkpoint] })
                .Fit(data.FeatureTensor<double>(), data.TargetTensor<double>());
            Assert.InRange(checkpoint.Saves, 1, 5);
            Assert.Equal(net.Parameters.SelectMany(p => p.Value.ToArray()),
                ModelFile.Load<double>(path).Network.Parameters.SelectMany(p => p.Value.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>Calls itself ReLU but is not the library's: a file must not store it as "relu".</summary>
file sealed class OwnRelu : IElementwiseActivation<float>
{
    public ActivationKind Kind => ActivationKind.Relu;

    public void Forward(ReadOnlySpan<float> u, Span<float> z, int columns) => System.Numerics.Tensors.TensorPrimitives.Max(u, 0f, z);

    public void Backward(ReadOnlySpan<float> u, ReadOnlySpan<float> z, ReadOnlySpan<float> dz, Span<float> du, int columns) => dz.CopyTo(du);

    public void Derivative(ReadOnlySpan<float> u, ReadOnlySpan<float> z, Span<float> derivative) => derivative.Fill(1);
}

/// <summary>A model's feature encoding (text columns one-hot, gaps filled) in its file.</summary>
public sealed class EncodedModelFileTests
{
    [Fact]
    public void The_encoding_round_trips_and_a_tampered_one_is_refused_by_field()
    {
        Dataset data = CsvReader.Read(new StringReader("city,rooms,target\nParis,3,1\nLyon,,0\nNice,2,1\n"), "h.csv", new CsvOptions { Missing = MissingValues.Median });
        Sequential<float> network = NetworkBuilder<float>.FromSizes([data.FeatureCount, 4, 2], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
        var model = new Model<float>(network, data.Task, data.FeatureNames, data.ClassNames) { Encoding = data.Encoding };
        byte[] file = ModelFile.Serialize(model);
        Model<float> back = ModelFile.Deserialize<float>(file, "h.nsmodel");
        Assert.Equal(model.Encoding, back.Encoding, (a, b) => a!.Columns.Select(c => (c.Name, string.Join("|", c.Categories ?? []), c.Fill)).SequenceEqual(b!.Columns.Select(c => (c.Name, string.Join("|", c.Categories ?? []), c.Fill))));
        Assert.Equal(2.5, back.Encoding!.Columns[1].Fill);
        Assert.Equal(file, ModelFile.Serialize(back));

        string header = ModelBytes.Header(file);
        foreach ((string from, string to) in new[] { ("\"Nice\"", "\"Paris\""), ("\"fill\":2.5", "\"fill\":2.5,\"categories\":[\"a\"]"), ("\"name\":\"rooms\"", "\"name\":\"area\"") })
        {
            string edited = header.Replace(from, to, StringComparison.Ordinal);
            Assert.NotEqual(header, edited);
            var error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(ModelBytes.Resign(file, edited), "bad.nsmodel"));
            Assert.Contains("encoding", error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => new Model<float>(network, data.Task, [.. data.FeatureNames.Reverse()], data.ClassNames) { Encoding = data.Encoding });

        // ONNX carries it as metadata (the graph takes the encoded features) and safetensors in its model description
        Model<float> onnx = NeuralSharp.Serialization.Onnx.OnnxFile.Deserialize<float>(NeuralSharp.Serialization.Onnx.OnnxFile.Serialize(model), "h.onnx");
        Assert.Equal(["Lyon", "Nice", "Paris"], onnx.Encoding!.Columns[0].Categories!);
        Assert.Equal(2.5, onnx.Encoding.Columns[1].Fill);
        Assert.Equal(2.5, SafeTensorsFile.Deserialize<float>(SafeTensorsFile.Serialize(model), "h.safetensors").Encoding!.Columns[1].Fill);
        var proto = NeuralSharp.Serialization.Onnx.Ir.ModelProto.Parser.ParseFrom(NeuralSharp.Serialization.Onnx.OnnxFile.Serialize(model));
        proto.MetadataProps.Single(p => p.Key == "neuralsharp.encoding").Value = "[{\"name\":\"city\",\"categories\":[\"Lyon\"]},{\"name\":\"rooms\"}]";
        var tampered = Assert.Throws<DataFormatException>(() => NeuralSharp.Serialization.Onnx.OnnxFile.Deserialize<float>(Google.Protobuf.MessageExtensions.ToByteArray(proto), "t.onnx"));
        Assert.Contains("metadata neuralsharp.encoding", tampered.Message, StringComparison.Ordinal);
    }
}

/// <summary>Day 2's layers in the model file: convolutions, pooling, flatten, dropout and batch norm with its running statistics.</summary>
public sealed class ConvModelFileTests
{
    [Fact]
    public void A_convolutional_network_round_trips_with_its_running_statistics()
    {
        Sequential<float> network = new NetworkBuilder<float>(new NeuralSharp.Layers.ImageShape(1, 8, 8))
            .Conv2D(4, 3, padding: 1).BatchNorm().MaxPool2D(2).Dense(6, ActivationKind.Relu).Dropout(0.3).Dense(3, ActivationKind.Softmax)
            .Build(seed: 5);
        var x = new NDArray<float>(10, 64);
        var random = new NeuralSharp.Randomness.SeededRandom(2);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        network.Forward(x); // moves the running statistics away from their start
        string[] names = [.. Enumerable.Range(0, 64).Select(i => $"p{i}")];
        var model = new Model<float>(network, TaskKind.MultiClassClassification, names, ["a", "b", "c"]);
        Model<float> back = ModelFile.Deserialize<float>(ModelFile.Serialize(model), "conv.nsmodel");

        Assert.Equal(network.Layers.Select(l => l.GetType().Name), back.Network.Layers.Select(l => l.GetType().Name));
        var norm = (NeuralSharp.Layers.BatchNorm<float>)network.Layers.Single(l => l is NeuralSharp.Layers.BatchNorm<float>);
        var loaded = (NeuralSharp.Layers.BatchNorm<float>)back.Network.Layers.Single(l => l is NeuralSharp.Layers.BatchNorm<float>);
        Assert.NotEqual(0f, norm.RunningMean[0]);
        Assert.Equal(norm.RunningMean.ToArray(), loaded.RunningMean.ToArray());
        Assert.Equal(norm.RunningVariance.ToArray(), loaded.RunningVariance.ToArray());
        Assert.Equal(network.Predict(x).ToArray(), back.Network.Predict(x).ToArray());
        Assert.Equal(ModelFile.Serialize(model), ModelFile.Serialize(back));
        Assert.Equal((4, new NeuralSharp.Layers.ImageShape(4, 8, 8)), (loaded.Channels, loaded.Image!.Value));
    }

    [Fact]
    public void A_batch_norm_over_images_from_an_older_file_stays_per_value_and_a_wrong_image_is_refused()
    {
        // files written before batch normalisation went per channel hold no image for it: every value its own feature
        var conv = new Conv2D<float>(new NeuralSharp.Layers.ImageShape(1, 4, 4), 2, 3, 3);
        var network = new Sequential<float>(conv, new NeuralSharp.Layers.BatchNorm<float>(conv.Output.Size), new Flatten<float>(conv.Output), new Dense<float>(8, 2), new ActivationLayer<float>(ActivationKind.Softmax));
        byte[] file = ModelFile.Serialize(new Model<float>(network, TaskKind.BinaryClassification, [.. Enumerable.Range(0, 16).Select(i => $"p{i}")], ["a", "b"]));
        var norm = ModelFile.Deserialize<float>(file, "old.nsmodel").Network.Layers.OfType<NeuralSharp.Layers.BatchNorm<float>>().Single();
        Assert.Equal((8, 8, (NeuralSharp.Layers.ImageShape?)null), (norm.Channels, norm.Features, norm.Image));

        string header = TestSupport.ModelBytes.Header(file);
        string edited = header.Replace("\"type\":\"batch-norm\",", "\"type\":\"batch-norm\",\"input\":[3,2,2],", StringComparison.Ordinal);
        Assert.NotEqual(header, edited);
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(TestSupport.ModelBytes.Resign(file, edited), "bad.nsmodel"));
        Assert.Contains("field input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conv_layer_claiming_a_huge_kernel_is_refused_before_anything_is_allocated()
    {
        Sequential<float> network = new NetworkBuilder<float>(new NeuralSharp.Layers.ImageShape(1, 8, 8)).Conv2D(2, 3).Dense(2, ActivationKind.Softmax).Build(seed: 1);
        byte[] file = ModelFile.Serialize(new Model<float>(network, TaskKind.BinaryClassification, [.. Enumerable.Range(0, 64).Select(i => $"p{i}")], ["a", "b"]));
        string header = TestSupport.ModelBytes.Header(file);
        foreach (string edit in new[] { "\"filters\":4096,", "\"input\":[4096,4096,4096]," })
        {
            string edited = edit.StartsWith("\"filters", StringComparison.Ordinal)
                ? header.Replace("\"filters\":2,", edit, StringComparison.Ordinal)
                : header.Replace("\"input\":[1,8,8],", edit, StringComparison.Ordinal);
            Assert.NotEqual(header, edited);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(TestSupport.ModelBytes.Resign(file, edited), "huge.nsmodel"));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (16 << 20));
        }
    }
}
