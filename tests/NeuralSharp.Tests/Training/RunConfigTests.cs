using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>A run as a value: JSON both ways, every bad value refused by its option's name before anything is read.</summary>
public sealed class RunConfigTests
{
    [Fact]
    public void A_configuration_survives_its_json()
    {
        var config = new RunConfig
        {
            Data = "iris", Layers = "16,8", Activation = "tanh", Dropout = 0.1, BatchNorm = true, Optimizer = "sgd", LearningRate = 0.2,
            L2 = 0.01, WeightDecay = 0.02, EarlyStopping = 3, Epochs = 7, Batch = "full", Init = "xavier", Seed = 9, SplitSeed = 4, TestSplit = 0.3, ValidationSplit = 0.1,
        };
        Assert.Equal(config, RunConfig.FromJson(config.ToJson()));
        Assert.Equal(new RunConfig(), RunConfig.FromJson("{}"));
        Assert.Equal(new RunConfig { Layers = "64", Batch = "16" }, RunConfig.FromJson("""{"layers": 64, "batch": 16}"""));
    }

    [Theory]
    [InlineData("""{"layer": "8"}""", "config", "Did you mean 'layers'?")]
    [InlineData("""[1]""", "config", "not a JSON object")]
    [InlineData("""{"epochs": "ten"}""", "epochs", "must be a number")]
    [InlineData("""{"epochs": 2.5}""", "epochs", "whole number")]
    [InlineData("""{"batch-norm": 1}""", "batch-norm", "true or false")]
    [InlineData("""{"epochs": 0}""", "epochs", "between 1 and 100000")]
    [InlineData("""{"layers": "10,x"}""", "layers", "'x' is not a layer")]
    [InlineData("""{"optimizer": "adamm"}""", "optimizer", "Did you mean 'adam'?")]
    [InlineData("""{"loss": "hinge"}""", "loss", "Known: auto, mse")]
    [InlineData("""{"val-split": 1}""", "val-split", "[0, 1)")]
    [InlineData("""{"early-stopping": 2, "val-split": 0}""", "early-stopping", "val-split is 0")]
    [InlineData("""{"seed": -1}""", "seed", "whole number")]
    [InlineData("""{"delimiter": "ab"}""", "delimiter", "cannot separate numbers")]
    [InlineData("""{"missing": "zero"}""", "missing", "give drop, mean or median")]
    [InlineData("""{"epochs": """, "config", "not valid JSON")]
    [InlineData("""{"weight-decay": -0.1}""", "weight-decay", "must be a number ≥ 0")]
    public void A_bad_value_is_refused_by_its_option(string json, string option, string expected)
    {
        OptionException error = Assert.Throws<OptionException>(() => RunConfig.FromJson(json, "run.json"));
        Assert.Equal(option, error.Option);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_and_loss_names_a_run_takes_are_those_the_task_head_takes()
    {
        // one parser decides: the activation's aliases and any case pass the check, as they pass the head
        new RunConfig { Output = "LeakyReLU", Loss = "MSE" }.Validate();
        Assert.Equal(ActivationKind.LeakyRelu, TaskHead.For(BuiltInDatasets.Load("diabetes"), "LeakyReLU", "MSE").Output);
        Assert.Contains("Did you mean 'sigmoid'?", Assert.Throws<OptionException>(() => new RunConfig { Output = "sigmod" }.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weight_decay_is_pytorchs_coupled_decay_and_adamws_own_decoupled_one()
    {
        var sgd = Assert.IsType<NeuralSharp.Optimizers.Sgd<double>>(new RunConfig { Optimizer = "sgd", WeightDecay = 0.03, L2 = 0.01 }.CreateOptimizer<double>());
        Assert.Equal((0.03, 0.01), (sgd.CoupledWeightDecay, sgd.WeightDecay));
        var adamW = Assert.IsType<NeuralSharp.Optimizers.AdamW<double>>(new RunConfig { Optimizer = "adamw", WeightDecay = 0.05 }.CreateOptimizer<double>());
        Assert.Equal((0.05, 0.0), (adamW.DecoupledWeightDecay, adamW.CoupledWeightDecay));
        Assert.Equal(0.01, Assert.IsType<NeuralSharp.Optimizers.AdamW<double>>(new RunConfig { Optimizer = "adamw" }.CreateOptimizer<double>()).DecoupledWeightDecay);
        var nesterov = Assert.IsType<NeuralSharp.Optimizers.Momentum<double>>(new RunConfig { Optimizer = "nesterov-pytorch" }.CreateOptimizer<double>());
        Assert.True(nesterov.Nesterov && nesterov.Form == NeuralSharp.Optimizers.OptimizerForm.PyTorch);
    }

    [Fact]
    public void A_file_is_written_atomically_and_read_back()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ns-run-{Guid.NewGuid():N}.json");
        try
        {
            var config = new RunConfig { Data = "diabetes", Layers = "none", Epochs = 3 };
            config.Save(path);
            Assert.Equal(config, RunConfig.Load(path));
            Assert.Equal("config", Assert.Throws<OptionException>(() => RunConfig.Load(path + ".missing")).Option);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_options_name_their_descent_and_the_split_seed_defaults_to_the_seed()
    {
        Assert.Equal(DescentMode.FullBatch, new RunConfig { Batch = "full" }.TrainingOptions().Mode);
        Assert.Equal(DescentMode.Online, new RunConfig { Batch = "online" }.TrainingOptions().Mode);
        TrainingOptions mini = new RunConfig { Batch = "16", Epochs = 4, Seed = 5, EarlyStopping = 2 }.TrainingOptions();
        Assert.Equal((DescentMode.MiniBatch, 16, 4, 5UL, (int?)2), (mini.Mode, mini.BatchSize, mini.Epochs, mini.Seed, mini.EarlyStoppingPatience));
        Assert.Equal(7UL, new RunConfig { Seed = 7 }.Split.Seed);
        Assert.Equal(3UL, new RunConfig { Seed = 7, SplitSeed = 3 }.Split.Seed);
    }
}
