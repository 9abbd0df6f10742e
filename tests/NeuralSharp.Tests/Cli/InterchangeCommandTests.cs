namespace NeuralSharp.Tests.Cli;

/// <summary><c>export</c> and <c>import</c>, and what an imported model does next: predict, summary, trace, gradcheck, train on.</summary>
public sealed class InterchangeCommandTests : IDisposable
{
    private static readonly string Golden = Path.Combine(LineBudgetTests.RepositoryRoot(), "tests", "NeuralSharp.Tests", "Golden", "interchange");

    private readonly string _folder = Directory.CreateTempSubdirectory("ns-interchange-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    private string TrainedIris()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "5", "--json", "--save", File("iris.nsmodel"));
        Assert.True(code == 0, output);
        return File("iris.nsmodel");
    }

    [Fact]
    public void Export_writes_ONNX_and_safetensors_with_its_PyTorch_module_and_verifies_them()
    {
        string model = TrainedIris();
        (int code, string output) = CliRunner.Run("export", "--model", model, "--onnx", File("iris.onnx"), "--safetensors", File("iris.safetensors"), "--verify");
        Assert.True(code == 0, output);
        Assert.Contains("largest difference 0 on 1,000 rows", output, StringComparison.Ordinal);
        Assert.Contains("bit-identical to the model", output, StringComparison.Ordinal);
        Assert.True(System.IO.File.Exists(File("iris.onnx")));
        Assert.Contains("nn.Linear(4, 64)", System.IO.File.ReadAllText(File("iris.py")), StringComparison.Ordinal);
        Assert.Equal(["iris.config.json", "iris.nsmodel", "iris.onnx", "iris.py", "iris.safetensors"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_imported_model_predicts_summarises_traces_checks_and_trains_on()
    {
        string model = TrainedIris();
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--onnx", File("iris.onnx")).ExitCode);
        (int code, string output) = CliRunner.Run("import", File("iris.onnx"), "--save", File("back.nsmodel"));
        Assert.True(code == 0, output);
        Assert.Contains("classes: setosa, versicolor, virginica", output, StringComparison.Ordinal);
        (int jsonCode, string json) = CliRunner.Run("import", File("iris.onnx"), "--save", File("back.nsmodel"), "--json");
        Assert.Equal(0, jsonCode);
        System.Text.Json.JsonElement imported0 = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal("float32", imported0.GetProperty("precision").GetString());
        Assert.Equal(3, imported0.GetProperty("classes").GetArrayLength());
        Assert.True(imported0.GetProperty("parameters").GetInt32() > 4 * 64);
        System.IO.File.WriteAllText(File("rows.csv"), "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        (_, string original) = CliRunner.Run("predict", "--model", model, "--data", File("rows.csv"), "--json");
        (_, string imported) = CliRunner.Run("predict", "--model", File("back.nsmodel"), "--data", File("rows.csv"), "--json");
        Assert.Equal(original, imported);

        // a model PyTorch made: its u, z and δ the course's way, its gradients checked, and trained on
        Assert.Equal(0, CliRunner.Run("import", Path.Combine(Golden, "multiclass.onnx"), "--save", File("torch.nsmodel")).ExitCode);
        (int traced, string trace) = CliRunner.Run("trace", "--model", File("torch.nsmodel"));
        Assert.True(traced == 0, trace);
        Assert.Contains("delta = dE/du1", trace, StringComparison.Ordinal);
        (int checkedCode, string check) = CliRunner.Run("gradcheck", "--model", File("torch.nsmodel"));
        Assert.True(checkedCode == 0, check);
        (int trained, string train) = CliRunner.Run("train", "--data", "iris", "--model", File("torch.nsmodel"), "--epochs", "20", "--json", "--save", File("torch-iris.nsmodel"));
        Assert.True(trained == 0, train);
        Assert.Contains("\"test_accuracy\"", train, StringComparison.Ordinal);
        (_, string summary) = CliRunner.Run("summary", "--model", File("torch-iris.nsmodel"));
        Assert.Contains("Dense 4→8", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pytorch_model_without_feature_names_takes_columns_by_position_and_import_can_name_them()
    {
        Assert.Equal(0, CliRunner.Run("import", Path.Combine(Golden, "multiclass.onnx"), "--save", File("torch.nsmodel")).ExitCode);
        // the same rows under other names: taken by position, said so, predicted as PyTorch did
        string[] lines = System.IO.File.ReadAllLines(Path.Combine(Golden, "multiclass-input.csv"));
        System.IO.File.WriteAllLines(File("renamed.csv"), ["sepal_l,sepal_w,petal_l,petal_w", .. lines[1..]]);
        (int code, string output) = CliRunner.Run("predict", "--model", File("torch.nsmodel"), "--data", File("renamed.csv"));
        Assert.True(code == 0, output);
        Assert.Contains("taken by position", output, StringComparison.Ordinal);
        (_, string json) = CliRunner.Run("predict", "--model", File("torch.nsmodel"), "--data", File("renamed.csv"), "--json");
        Assert.Contains("\"columns_by_position\":true", json, StringComparison.Ordinal);
        (_, string original) = CliRunner.Run("predict", "--model", File("torch.nsmodel"), "--data", Path.Combine(Golden, "multiclass-input.csv"), "--json");
        Assert.Equal(original.Replace(",\"columns_by_position\":true", "", StringComparison.Ordinal), json.Replace(",\"columns_by_position\":true", "", StringComparison.Ordinal));
        // a column too many is not guessed at
        System.IO.File.WriteAllLines(File("wide.csv"), ["a,b,c,d,e", .. lines[1..].Select(l => l + ",1")]);
        Assert.NotEqual(0, CliRunner.Run("predict", "--model", File("torch.nsmodel"), "--data", File("wide.csv")).ExitCode);

        // import --features names them, and the CSV's names then match
        (int named, string saved) = CliRunner.Run("import", Path.Combine(Golden, "multiclass.onnx"), "--save", File("named.nsmodel"), "--features", "sepal_l,sepal_w,petal_l,petal_w", "--json");
        Assert.True(named == 0, saved);
        Assert.Contains("\"features\":[\"sepal_l\",\"sepal_w\",\"petal_l\",\"petal_w\"]", saved, StringComparison.Ordinal);
        (int byName, string predicted) = CliRunner.Run("predict", "--model", File("named.nsmodel"), "--data", File("renamed.csv"));
        Assert.True(byName == 0, predicted);
        Assert.DoesNotContain("taken by position", predicted, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("import", Path.Combine(Golden, "multiclass.onnx"), "--save", File("bad.nsmodel"), "--features", "a,b").ExitCode);
    }

    [Fact]
    public void A_damaged_file_is_refused_with_exit_code_1_and_nothing_written()
    {
        string model = TrainedIris();
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--onnx", File("iris.onnx")).ExitCode);
        byte[] bytes = System.IO.File.ReadAllBytes(File("iris.onnx"));
        System.IO.File.WriteAllBytes(File("cut.onnx"), bytes[..(bytes.Length / 3)]);
        (int code, string output, string errors) = CliRunner.RunSplit("import", File("cut.onnx"), "--save", File("cut.nsmodel"));
        Assert.Equal(1, code);
        Assert.Contains("cut.onnx", errors, StringComparison.Ordinal);
        Assert.Equal("", output);
        CliRunner.AssertNoStackTrace(errors);
        Assert.False(System.IO.File.Exists(File("cut.nsmodel")));
        (int missing, _) = CliRunner.Run("import", File("nowhere.onnx"), "--save", File("x.nsmodel"));
        Assert.Equal(1, missing);
    }

    [Theory]
    [InlineData("export", "--model", "m.nsmodel")]
    [InlineData("import", "m.onnx")]
    [InlineData("train", "--model", "m.nsmodel", "--layers", "8")]
    public void Missing_or_conflicting_options_are_usage_errors(params string[] args)
    {
        (int code, string output) = CliRunner.Run(args);
        Assert.Equal(2, code);
        CliRunner.AssertNoStackTrace(output);
    }

    [Fact]
    public void Training_on_from_a_model_refuses_data_it_does_not_fit()
    {
        string model = TrainedIris();
        (int code, string output) = CliRunner.Run("train", "--data", "digits", "--model", model);
        Assert.Equal(1, code);
        Assert.Contains("takes 4 features", output, StringComparison.Ordinal);
    }
}

/// <summary>A convolutional network through the interchange commands: ONNX out and back; safetensors with its PyTorch twin; a layer safetensors cannot carry refused by name, the ONNX file still written.</summary>
// an exact comparison of two predictions: both must see the same thread count (the bench's tests set it)
[Collection(NeuralSharp.Tests.Kernels.GemmThreads.Name)]
public sealed class ConvNetInterchangeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-refuse-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_conv_net_with_batch_norm_goes_out_as_ONNX_and_safetensors_and_reads_back()
    {
        string model = Path.Combine(_folder, "conv.nsmodel"), onnx = Path.Combine(_folder, "conv.onnx"), weights = Path.Combine(_folder, "conv.safetensors"), back = Path.Combine(_folder, "back.nsmodel");
        Assert.Equal(0, CliRunner.Run("train", "--data", "mnist", "--layers", "conv:2x5x5,pool:2,dense:8", "--batch-norm", "--epochs", "1", "--test-split", "0.9", "--json", "--save", model).ExitCode);
        (int code, string output) = CliRunner.Run("export", "--model", model, "--onnx", onnx, "--safetensors", weights, "--verify", "--json");
        Assert.True(code == 0, output);
        using (var written = System.Text.Json.JsonDocument.Parse(output))
        {
            Assert.True(written.RootElement.GetProperty("safetensors_identical").GetBoolean());
            Assert.True(written.RootElement.GetProperty("onnx_max_difference").GetDouble() <= 1e-6, output);
        }

        Assert.Contains("nn.BatchNorm2d(2,", File.ReadAllText(Path.Combine(_folder, "conv.py")), StringComparison.Ordinal);
        (code, output) = CliRunner.Run("import", onnx, "--save", back);
        Assert.True(code == 0, output);
        (_, string summary) = CliRunner.Run("summary", "--model", back);
        Assert.Contains("BatchNorm per channel", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_safetensors_cannot_carry_is_named_and_the_ONNX_file_is_still_written()
    {
        // batch normalisation of every value of an image, as models from before per-channel normalisation hold
        var conv = new NeuralSharp.Layers.Conv2D<float>(new NeuralSharp.Layers.ImageShape(1, 4, 4), 2, 3, 3, name: "conv");
        var network = new NeuralSharp.Layers.Sequential<float>(conv, new NeuralSharp.Layers.BatchNorm<float>(conv.Output.Size, name: "old-bn"),
            new NeuralSharp.Layers.Flatten<float>(conv.Output), new NeuralSharp.Layers.Dense<float>(8, 2), new NeuralSharp.Layers.ActivationLayer<float>(NeuralSharp.Activations.ActivationKind.Softmax));
        string model = Path.Combine(_folder, "old.nsmodel"), onnx = Path.Combine(_folder, "old.onnx"), weights = Path.Combine(_folder, "old.safetensors");
        NeuralSharp.Serialization.ModelFile.Save(model, new NeuralSharp.Serialization.Model<float>(network, NeuralSharp.Data.TaskKind.BinaryClassification, [.. Enumerable.Range(0, 16).Select(i => $"p{i}")], ["a", "b"]));
        (int code, string output) = CliRunner.Run("export", "--model", model, "--onnx", onnx, "--safetensors", weights);
        Assert.Equal(1, code);
        Assert.Contains("'old-bn'", output, StringComparison.Ordinal);
        Assert.Contains("ONNX file was written", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
        Assert.DoesNotContain("`1", output, StringComparison.Ordinal);
        Assert.True(File.Exists(onnx));
        Assert.False(File.Exists(weights));
        Assert.False(File.Exists(Path.Combine(_folder, "old.py")));
        Assert.Equal(0, CliRunner.Run("import", onnx, "--save", Path.Combine(_folder, "back.nsmodel")).ExitCode);
    }

    [Fact]
    public void A_conv_net_goes_out_as_ONNX_and_comes_back_predicting_the_same()
    {
        string model = Path.Combine(_folder, "conv.nsmodel"), onnx = Path.Combine(_folder, "conv.onnx"), back = Path.Combine(_folder, "back.nsmodel");
        Assert.Equal(0, CliRunner.Run("train", "--data", "mnist", "--layers", "conv:2x5x5,pool:2,dense:8", "--epochs", "1", "--test-split", "0.9", "--json", "--save", model).ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--onnx", onnx).ExitCode);
        (int code, string output) = CliRunner.Run("import", onnx, "--save", back);
        Assert.True(code == 0, output);
        (_, string summary) = CliRunner.Run("summary", "--model", back);
        Assert.Contains("Conv2D 2×5×5", summary, StringComparison.Ordinal);
        Assert.Contains("MaxPool2D 2×2", summary, StringComparison.Ordinal);
        var mnist = NeuralSharp.Data.BuiltInDatasets.Load("mnist").Subset([.. Enumerable.Range(0, 50)]);
        Assert.Equal(NeuralSharp.Serialization.ModelFile.Load<float>(model).Predict(mnist).ToArray(), NeuralSharp.Serialization.ModelFile.Load<float>(back).Predict(mnist).ToArray());
    }
}
