using System.Text.Json;

namespace NeuralSharp.Tests.Cli;

/// <summary>The options a learner of the course reaches for, and the warnings that save them an evening.</summary>
public sealed class LearnerOptionsTests
{
    private static JsonElement Train(params string[] args)
    {
        (int code, string output) = CliRunner.Run(["train", .. args, "--json"]);
        Assert.True(code == 0, output);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public void L2_and_L1_change_what_is_learnt()
    {
        string[] common = ["--data", "iris", "--epochs", "20", "--optimizer", "sgd", "--lr", "0.1", "--seed", "3"];
        double plain = Train(common).GetProperty("last_epoch_loss").GetDouble();
        double l2 = Train([.. common, "--l2", "0.5"]).GetProperty("last_epoch_loss").GetDouble();
        double l1 = Train([.. common, "--l1", "0.05"]).GetProperty("last_epoch_loss").GetDouble();
        // the penalty holds the weights back: the data loss stays higher
        Assert.True(l2 > plain * 1.2, $"L2 {l2} against {plain}");
        Assert.True(l1 > plain * 1.2, $"L1 {l1} against {plain}");
    }

    [Fact]
    public void Weight_decay_and_the_pytorch_optimizers_are_options()
    {
        string[] common = ["--data", "iris", "--epochs", "20", "--lr", "0.05", "--seed", "3"];
        double plain = Train([.. common, "--optimizer", "momentum-pytorch"]).GetProperty("last_epoch_loss").GetDouble();
        double decayed = Train([.. common, "--optimizer", "momentum-pytorch", "--weight-decay", "0.2"]).GetProperty("last_epoch_loss").GetDouble();
        Assert.True(decayed > plain * 1.2, $"weight decay {decayed} against {plain}");
        double adamW = Train([.. common, "--optimizer", "adamw", "--lr", "0.01"]).GetProperty("last_epoch_loss").GetDouble();
        double adamWStrong = Train([.. common, "--optimizer", "adamw", "--lr", "0.01", "--weight-decay", "5"]).GetProperty("last_epoch_loss").GetDouble();
        Assert.True(adamWStrong > adamW * 1.2, $"AdamW's decay {adamWStrong} against {adamW}");
        Assert.True(Train([.. common, "--optimizer", "nesterov"]).GetProperty("last_epoch_loss").GetDouble() < 0.5);
    }

    [Fact]
    public void Early_stopping_stops_when_the_held_out_loss_stalls_and_says_so()
    {
        JsonElement result = Train("--data", "iris", "--epochs", "2000", "--early-stopping", "5", "--lr", "0.05");
        Assert.True(result.GetProperty("stopped_early").GetBoolean());
        int epochs = result.GetProperty("epochs").GetInt32(), best = result.GetProperty("best_epoch").GetInt32();
        Assert.True(epochs < 2000);
        Assert.Equal(epochs - 5, best);
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "2000", "--early-stopping", "5", "--lr", "0.05");
        Assert.Equal(0, code);
        Assert.Contains($"Stopped early after epoch {epochs}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--activation step", "derivative is 0 everywhere")]
    [InlineData("--output sigmoid", "not a distribution over the classes")]
    [InlineData("--output sigmoid --loss ce", "cross entropy expects a distribution")]
    public void A_setting_that_cannot_work_well_is_warned_about(string options, string warning)
    {
        (int code, string output) = CliRunner.Run(["train", "--data", "iris", "--epochs", "1", .. options.Split(' ')]);
        Assert.True(code == 0, output);
        Assert.Contains("Warning:", output, StringComparison.Ordinal);
        Assert.Contains(warning, output, StringComparison.Ordinal);
        Assert.Contains(warning, Train(["--data", "iris", "--epochs", "1", .. options.Split(' ')]).GetProperty("warnings").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_setting_is_not_warned_about()
    {
        Assert.Equal(0, Train("--data", "iris", "--epochs", "1").GetProperty("warnings").GetArrayLength());
    }

    [Theory]
    [InlineData("--lr", "1e-300", "0 in the float32 arithmetic")]
    [InlineData("--l2", "-1", "--l2: must be")]
    [InlineData("--weight-decay", "-1", "--weight-decay: must be")]
    [InlineData("--early-stopping", "0", "--early-stopping: must be")]
    public void Bad_values_are_usage_errors(string option, string value, string expected)
    {
        (int code, string output) = CliRunner.Run("train", "--data", "iris", option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_terminal_progress_is_one_line_per_epoch_and_no_stale_bar()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "4");
        Assert.Equal(0, code);
        Assert.DoesNotContain("training: 0%", output, StringComparison.Ordinal);
        for (int epoch = 1; epoch <= 4; epoch++)
        {
            Assert.Contains($"epoch {epoch}/4: loss ", output, StringComparison.Ordinal);
        }

        (_, string many) = CliRunner.Run("train", "--data", "iris", "--epochs", "500");
        Assert.InRange(many.Split("/500: loss").Length - 1, 50, 51);
    }

    [Fact]
    public void An_experiment_takes_the_smaller_rate_its_divergence_message_suggests()
    {
        string folder = Path.GetTempPath();
        (int code, string output) = CliRunner.Run("experiment", "sgd-regression", "--x-range", "-5,5", "--lr", "0.07", "--out", folder);
        Assert.Equal(0, code);
        Assert.Contains("Try a smaller learning rate than 0.07, e.g. 0.007", output, StringComparison.Ordinal);
        (int calm, string steady) = CliRunner.Run("experiment", "sgd-regression", "--x-range", "-5,5", "--lr", "0.001", "--out", folder);
        Assert.Equal(0, calm);
        Assert.DoesNotContain("diverged", steady, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("forward", "--lr", "0.1")]
    [InlineData("forward", "--x-range", "1,2")]
    [InlineData("backprop", "--steps", "200")]
    [InlineData("optimizer-paths", "--init", "he")]
    public void An_option_an_experiment_does_not_use_is_refused(string experiment, string option, string value)
    {
        (int code, string output) = CliRunner.Run("experiment", experiment, option, value, "--out", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains($"experiment {experiment} does not use {option}", output, StringComparison.Ordinal);
    }
}

/// <summary><c>--json</c> on summary and trace: one object a program can read.</summary>
public sealed class JsonOutputTests
{
    [Fact]
    public void Trace_json_holds_every_entry_with_its_shape_and_values()
    {
        (int code, string output) = CliRunner.Run("trace", "--json");
        Assert.Equal(0, code);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2-3-3-1", root.GetProperty("network").GetString());
        JsonElement u1 = root.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("label").GetString() == "u1");
        Assert.Equal([1, 3], u1.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(3, u1.GetProperty("values").GetArrayLength());
        Assert.Contains(root.GetProperty("entries").EnumerateArray(), e => e.GetProperty("phase").GetString() == "backward");
    }

    [Fact]
    public void Summary_json_lists_the_layers_and_the_names()
    {
        string model = Path.Combine(Path.GetTempPath(), $"ns-summary-{Environment.ProcessId}.nsmodel");
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--epochs", "1", "--json", "--save", model).ExitCode);
        (int code, string output) = CliRunner.Run("summary", "--model", model, "--json");
        Assert.Equal(0, code);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(4, root.GetProperty("inputs").GetInt32());
        Assert.Equal("dense1", root.GetProperty("layers")[0].GetProperty("name").GetString());
        Assert.Equal(3, root.GetProperty("classes").GetArrayLength());
        File.Delete(model);
        File.Delete(Path.ChangeExtension(model, ".config.json"));
    }
}

/// <summary><c>predict</c> on a CSV that still has its label column: it works, and scores the model against it.</summary>
public sealed class PredictScoringTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-predict-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Text_labels_are_read_as_classes_and_the_accuracy_is_reported()
    {
        string model = Path.Combine(_folder, "iris.nsmodel");
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--epochs", "30", "--json", "--save", model).ExitCode);
        string csv = Path.Combine(_folder, "labelled.csv");
        File.WriteAllText(csv, "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target\n5.1,3.5,1.4,0.2,setosa\n6.7,3.0,5.2,2.3,virginica\n5.0,3.4,1.5,0.2,setosa\n");
        (int code, string output) = CliRunner.Run("predict", "--model", model, "--data", csv, "--json");
        Assert.True(code == 0, output);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        string[] predicted = [.. root.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("prediction").GetString()!)];
        double expected = new[] { "setosa", "virginica", "setosa" }.Zip(predicted, (a, b) => a == b ? 1.0 : 0).Average();
        Assert.Equal(expected, root.GetProperty("accuracy").GetDouble(), 12);
        (int tableCode, string table) = CliRunner.Run("predict", "--model", model, "--data", csv);
        Assert.Equal(0, tableCode);
        Assert.Contains("Against its 'target' column: accuracy", table, StringComparison.Ordinal);

        File.WriteAllText(csv, "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target\n5.1,3.5,1.4,0.2,lily\n");
        (int bad, string message) = CliRunner.Run("predict", "--model", model, "--data", csv);
        Assert.Equal(1, bad);
        Assert.Contains("'lily', which is not one of the model's classes", message, StringComparison.Ordinal);
    }
}

/// <summary><c>--delimiter</c>: a CSV separated by a character the header does not give away, in train and predict.</summary>
public sealed class DelimiterOptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-delimiter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_pipe_separated_file_trains_and_predicts_with_delimiter_and_fails_clearly_without()
    {
        string csv = Path.Combine(_folder, "blobs.csv");
        var rows = Enumerable.Range(0, 60).Select(i => $"{(i % 2 == 0 ? 1 : -1) * (1 + (i % 7 * 0.1))}|{i % 5 * 0.2}|{(i % 2 == 0 ? "left" : "right")}");
        File.WriteAllLines(csv, ["\"x, cm\"|y|side", .. rows]);
        string model = Path.Combine(_folder, "blobs.nsmodel");
        (int code, string output) = CliRunner.Run("train", "--data", csv, "--delimiter", "|", "--epochs", "30", "--json", "--save", model);
        Assert.True(code == 0, output);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("test_accuracy").GetDouble() > 0.9, output);

        (int predicted, string scored) = CliRunner.Run("predict", "--model", model, "--data", csv, "--delimiter", "pipe");
        Assert.True(predicted == 0, scored);
        Assert.Contains("Against its 'side' column: accuracy", scored, StringComparison.Ordinal);

        (int refused, string message) = CliRunner.Run("train", "--data", csv, "--epochs", "1");
        Assert.Equal(1, refused);
        Assert.Contains("--delimiter names another", message, StringComparison.Ordinal);
        (int usage, string bad) = CliRunner.Run("train", "--data", csv, "--delimiter", "x");
        Assert.Equal(2, usage);
        Assert.Contains("--delimiter: 'x' cannot separate numbers", bad, StringComparison.Ordinal);
    }
}

/// <summary><c>experiment --json</c>: the lines and plots as records, nothing else on standard output.</summary>
public sealed class ExperimentJsonTests
{
    [Fact]
    public void Experiment_json_is_one_object_with_the_lines_and_plots()
    {
        string folder = Directory.CreateTempSubdirectory("ns-expjson-").FullName;
        try
        {
            (int code, string output) = CliRunner.Run("experiment", "optimizer-paths", "--json", "--out", folder);
            Assert.Equal(0, code);
            JsonElement experiment = JsonDocument.Parse(output).RootElement.GetProperty("experiments")[0];
            Assert.Equal("optimizer-paths", experiment.GetProperty("name").GetString());
            string[] kinds = [.. experiment.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()!)];
            Assert.Contains("plot", kinds);
            Assert.Contains(experiment.GetProperty("items").EnumerateArray(), i => i.GetProperty("text").GetString()!.StartsWith("sgd (η = 0.95)", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
