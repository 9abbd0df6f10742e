using NeuralSharp.Cli;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Tests.Cli;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>The recipe every shell calls: the library's run and <c>train</c>'s give the same tensors and weights.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Balanced_class_weights_find_more_of_a_rare_class()
    {
        // 1 row in 12 of class 1, overlapping class 0: a plain mean learns to say 0; balanced weights count both alike
        var random = new NeuralSharp.Randomness.SeededRandom(4);
        const int rows = 1200;
        var features = new double[rows * 2];
        var labels = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 12 == 0 ? 1 : 0;
            features[2 * i] = (labels[i] * 1.2) + random.NextNormal();
            features[(2 * i) + 1] = random.NextNormal();
        }

        var data = new Dataset("rare", features, ["a", "b"], labels, ["common", "rare"]);
        double Recall(string? weights)
        {
            var config = new RunConfig { Data = "rare", Layers = "8", Epochs = 40, Seed = 3, ClassWeights = weights };
            TrainingRun<float> run = TrainingRun<float>.Start(config, data);
            run.Fit();
            ConfusionMatrix confusion = run.Evaluate().Confusion!;
            return confusion.Recall(1);
        }

        double plain = Recall(null), balanced = Recall("balanced");
        Assert.True(balanced > plain + 0.3, $"recall of the rare class: {plain:F2} without weights, {balanced:F2} balanced");
        // N / (K·n_c): 1200 / (2 × 1100) and 1200 / (2 × 100)
        Assert.Equal([1200.0 / 2200, 6], new RunConfig { ClassWeights = "balanced" }.ClassWeightsFor(data)!);
        Assert.Equal([1.0, 5], new RunConfig { ClassWeights = "1, 5" }.ClassWeightsFor(data));
        Assert.Contains("3 weights for 2 classes", Assert.Throws<OptionException>(() => new RunConfig { ClassWeights = "1,2,3" }.ClassWeightsFor(data)).Message, StringComparison.Ordinal);
        Assert.Contains("not a weight", Assert.Throws<OptionException>(() => new RunConfig { ClassWeights = "1,x" }.Validate()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iris", "16,8", "sgd", "8")]
    [InlineData("diabetes", "16", "adam", "32")]
    [InlineData("breast-cancer", "8", "momentum", "full")]
    public void The_library_and_train_give_the_same_model_bit_for_bit(string data, string layers, string optimizer, string batch)
    {
        var config = new RunConfig { Data = data, Layers = layers, Optimizer = optimizer, Batch = batch, Epochs = 4, Seed = 11 };
        TrainingRun<float> run = TrainingRun<float>.Start(config);
        History history = run.Fit();
        string library = Path.Combine(_folder, "library.nsmodel"), command = Path.Combine(_folder, "command.nsmodel");
        run.ToModel().Save(library);
        (int code, string output) = CliRunner.Run("train", "--data", data, "--layers", layers, "--optimizer", optimizer, "--batch", batch,
            "--epochs", "4", "--seed", "11", "--json", "--save", command);
        Assert.True(code == 0, output);
        Assert.Equal(File.ReadAllBytes(library), File.ReadAllBytes(command));
        // the model carries the run that made it
        Assert.Equal(config, RunConfig.FromJson(Model<float>.Load(command).Configuration!));
        string metric = run.Head.Task == TaskKind.Regression ? "\"val_loss\":" : "\"val_accuracy\":";
        double reported = double.Parse(output.Split(metric)[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(run.Head.Task == TaskKind.Regression ? history.Epochs[^1].ValidationLoss : history.Epochs[^1].ValidationMetric, reported);
    }

    [Theory]
    [InlineData("iris", 0.9)] // 96 training rows, three batches an epoch: 200 epochs by default
    [InlineData("breast-cancer", 0.95)]
    [InlineData("digits", 0.97)]
    [InlineData("mnist", 0.93)]
    [InlineData("diabetes", 0.45)]
    [InlineData("circle", 0.95)]
    [InlineData("xor", 0.95)]
    [InlineData("gauss3", 0.95)]
    [InlineData("spiral", 0.95)] // two layers of 64 and η 0.01 by default: one layer stops at 64 %
    [InlineData("spiral4", 0.95)]
    [InlineData("plane", 0.95)]
    [InlineData("animals", 0.95)]
    [InlineData("course-regression", 0.95)]
    public void The_defaults_give_a_good_first_result_on_a_built_in_set(string data, double least)
    {
        // accuracy for classes, R² for numbers, on the test rows; thresholds with room for every instruction set's rounding
        TrainingRun<float> run = TrainingRun<float>.Start(new RunConfig { Data = data });
        run.Fit();
        TestReport report = run.Evaluate();
        double measured = report.Accuracy ?? report.RSquared!.Value;
        Assert.True(measured >= least, $"{data}: {measured:F3} with the defaults ({run.Epochs} epochs), below {least}");
        Assert.Equal(data == "iris" ? 200 : data == "diabetes" ? 67 : data == "breast-cancer" ? 50 : run.Epochs, run.Epochs);
    }

    [Fact]
    public void The_test_rows_are_measured_in_the_targets_own_units()
    {
        TrainingRun<float> run = TrainingRun<float>.Start(new RunConfig { Data = "diabetes", Layers = "16", Epochs = 100, LearningRate = 0.01, Seed = 2 });
        run.Fit();
        TestReport report = run.Evaluate();
        Assert.InRange(report.RSquared!.Value, 0.2, 1);
        // diabetes' targets lie in 25 … 346: errors in those units, not in σ
        Assert.InRange(report.MeanAbsoluteError!.Value, 20, 90);
        Assert.Null(report.Accuracy);
    }

    [Fact]
    public void A_run_goes_on_from_a_saved_model_with_its_standardizers()
    {
        TrainingRun<float> first = TrainingRun<float>.Start(new RunConfig { Data = "iris", Layers = "8", Epochs = 3 });
        first.Fit();
        Model<float> model = first.ToModel();
        TrainingRun<float> next = TrainingRun<float>.Start(new RunConfig { Data = "iris", Epochs = 2 }, from: model);
        Assert.Same(model.Network, next.Network);
        Assert.Same(model.Standardizer, next.Data.Features);
        Assert.Throws<DataFormatException>(() => TrainingRun<float>.Start(new RunConfig { Data = "diabetes" }, from: model));
    }

    [Fact]
    public void A_model_without_scaling_goes_on_in_the_units_its_weights_were_trained_in()
    {
        // an imported regression (no standardizers in its file): its network answers in the target's own units, so
        // training on is on raw features and raw targets, and its model saves no scaling either
        TrainingRun<float> first = TrainingRun<float>.Start(new RunConfig { Data = "diabetes", Layers = "8", Epochs = 1 });
        Model<float> trained = first.ToModel();
        var imported = new Model<float>(trained.Network, trained.Task, trained.FeatureNames, null, trained.TargetName);
        TrainingRun<float> next = TrainingRun<float>.Start(new RunConfig { Data = "diabetes", Epochs = 1 }, from: imported);
        Assert.Null(next.Data.TargetScale);
        Assert.Null(next.ToModel().TargetStandardizer);
        Assert.Equal(new double[10], next.Data.Features.Mean);
        Assert.True(next.Data.TrainD.ToArray().Average() > 50, "the targets were standardized");
    }

    [Fact]
    public void Convolutions_over_flat_rows_are_refused_by_the_layers_option()
    {
        OptionException error = Assert.Throws<OptionException>(() => TrainingRun<float>.Start(new RunConfig { Data = "iris", Layers = "conv:4x3x3" }));
        Assert.Equal("layers", error.Option);
        Assert.Contains("need images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Epochs_trained_one_call_at_a_time_equal_one_call_over_all_of_them()
    {
        var config = new RunConfig { Data = "digits", Layers = "16", Epochs = 3, Batch = "32", Seed = 4 };
        TrainingRun<float> whole = TrainingRun<float>.Start(config), parts = TrainingRun<float>.Start(config);
        History all = whole.Fit();
        var records = new List<EpochRecord>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            TrainingOptions options = config.TrainingOptions() with { StartEpoch = epoch, Epochs = epoch + 1 };
            records.Add(new Trainer<float>(parts.Network, parts.Head, parts.Optimizer, options)
                .Fit(parts.Data.TrainX, parts.Data.TrainD, parts.Data.ValidationX, parts.Data.ValidationD).Epochs[0]);
        }

        Assert.Equal(all.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationMetric)), records.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationMetric)));
        Assert.All(whole.Network.Parameters.Zip(parts.Network.Parameters), p => Assert.Equal(p.First.Value.ToArray(), p.Second.Value.ToArray()));
    }
}
