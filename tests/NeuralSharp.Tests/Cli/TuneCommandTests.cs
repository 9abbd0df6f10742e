using System.Text.Json;

namespace NeuralSharp.Tests.Cli;

/// <summary><c>tune</c> with its embedded silo, and the clear messages of a bad space, cluster or data.</summary>
/// <remarks>tune sets the process-wide <c>Parallelism.Threads</c> to 1 while its silo trains: it runs with the other tests that set it, alone.</remarks>
[Collection(NeuralSharp.Tests.Kernels.GemmThreads.Name)]
public sealed class TuneCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-tune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_sweep_says_as_each_trial_finishes_its_rung()
    {
        (int code, string output) = CliRunner.Run("tune", "--data", "iris", "--space", "lr=0.01|0.1; layers=8", "--search", "grid", "--trials", "2",
            "--epochs", "3", "--scheduler", "none", "--out", _folder);
        Assert.True(code == 0, output);
        string[] finished = [.. output.Split('\n').Where(l => l.Contains("after 3 epochs", StringComparison.Ordinal))];
        Assert.Equal(2, finished.Length);
        Assert.Contains(finished, l => l.Contains("(2 of 2 done)", StringComparison.Ordinal));
        Assert.All(finished, l => Assert.Matches(@"trial [01]: val_accuracy [01]\.\d{4} after 3 epochs", l));
    }

    [Theory]
    [InlineData("iris", "val_accuracy")]
    [InlineData("diabetes", "val_loss")]
    public void Train_repeats_the_best_trial_bit_for_bit_from_its_config(string data, string metric)
    {
        (int code, string output) = CliRunner.Run("tune", "--data", data, "--space", "lr=log(1e-3,1e-1); layers=8|16,8; optimizer=sgd|adam; batch=8|32", "--trials", "4",
            "--epochs", "5", "--scheduler", "none", "--out", _folder, "--json");
        Assert.True(code == 0, output);
        JsonElement best = JsonDocument.Parse(output).RootElement.GetProperty("trials")[0];
        // every trial carries its run, and the best one's is the file beside the model
        Assert.Equal(NeuralSharp.Training.RunConfig.Load(Path.Combine(_folder, "best.config.json")), NeuralSharp.Training.RunConfig.FromJson(best.GetProperty("config").GetRawText()));
        string again = Path.Combine(_folder, "again.nsmodel");
        (int trained, string summary) = CliRunner.Run("train", "--config", Path.Combine(_folder, "best.config.json"), "--json", "--save", again);
        Assert.True(trained == 0, summary);
        JsonElement run = JsonDocument.Parse(summary).RootElement;
        Assert.Equal(best.GetProperty("metric").GetDouble(), run.GetProperty(metric).GetDouble());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "best.nsmodel")), File.ReadAllBytes(again));
    }

    [Fact]
    public void An_embedded_sweep_writes_its_leaderboard_and_a_best_model_that_predicts()
    {
        (int code, string output) = CliRunner.Run("tune", "--data", "iris", "--space", "lr=log(1e-3,1e-1); layers=8|16; optimizer=sgd|adam", "--trials", "6",
            "--epochs", "9", "--out", _folder, "--json");
        Assert.True(code == 0, output);
        JsonElement board = JsonDocument.Parse(output).RootElement;
        Assert.Equal("val_accuracy", board.GetProperty("metric").GetString());
        JsonElement[] trials = [.. board.GetProperty("trials").EnumerateArray()];
        Assert.Equal(6, trials.Length);
        Assert.Equal(9, trials[0].GetProperty("epochs").GetInt32());
        Assert.True(trials.Count(t => t.GetProperty("stopped_at_epoch").ValueKind == JsonValueKind.Number) >= 3);
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, "leaderboard.json")).Trim(), output.Trim());
        string page = File.ReadAllText(Path.Combine(_folder, "leaderboard.html"));
        Assert.Equal(6, page.Split("<polyline class=\"trial").Length - 1);
        Assert.Contains("class=\"stop\"", page, StringComparison.Ordinal);
        (int predicted, string summary) = CliRunner.Run("summary", "--model", Path.Combine(_folder, "best.nsmodel"));
        Assert.True(predicted == 0, summary);
        Assert.Contains("setosa", summary, StringComparison.Ordinal);
        // the same sweep again: the same leaderboard
        (_, string again) = CliRunner.Run("tune", "--data", "iris", "--space", "lr=log(1e-3,1e-1); layers=8|16; optimizer=sgd|adam", "--trials", "6",
            "--epochs", "9", "--out", _folder, "--json");
        Assert.Equal(output, again);
    }

    [Fact]
    public void A_sweep_reads_text_columns_and_fills_gaps_as_train_does_and_its_best_model_keeps_the_encoding()
    {
        string csv = Path.Combine(_folder, "fruit.csv");
        var rows = new List<string> { "colour,size,ripe" };
        string[] colours = ["red", "green", "blue"];
        for (int i = 0; i < 120; i++)
        {
            rows.Add($"{colours[i % 3]},{(i % 5 == 0 ? "" : ((i * 7) % 9).ToString(System.Globalization.CultureInfo.InvariantCulture))},{(i % 3 == 2 ? "no" : "yes")}");
        }

        File.WriteAllLines(csv, rows);
        (int refused, string why) = CliRunner.Run("tune", "--data", csv, "--space", "lr=0.01|0.05", "--trials", "2", "--epochs", "3", "--out", _folder);
        Assert.Equal(1, refused);
        Assert.Contains("--missing", why, StringComparison.Ordinal);
        (int code, string output) = CliRunner.Run("tune", "--data", csv, "--missing", "mean", "--class-weights", "balanced", "--clip-norm", "0.05", "--space", "lr=0.01|0.05", "--trials", "2", "--epochs", "3",
            "--scheduler", "none", "--out", _folder, "--json");
        Assert.True(code == 0, output);
        // the trials train as train does, class weights and all: the best one's configuration repeats it bit for bit
        Assert.Equal(("balanced", (double?)0.05), (NeuralSharp.Training.RunConfig.Load(Path.Combine(_folder, "best.config.json")).ClassWeights, NeuralSharp.Training.RunConfig.Load(Path.Combine(_folder, "best.config.json")).ClipNorm));
        string again = Path.Combine(_folder, "again.nsmodel");
        (int trained, string run) = CliRunner.Run("train", "--config", Path.Combine(_folder, "best.config.json"), "--json", "--save", again);
        Assert.True(trained == 0, run);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "best.nsmodel")), File.ReadAllBytes(again));
        (_, string summary) = CliRunner.Run("summary", "--model", Path.Combine(_folder, "best.nsmodel"));
        Assert.Contains("colour=blue", summary, StringComparison.Ordinal);
        File.WriteAllLines(Path.Combine(_folder, "basket.csv"), ["size,colour", "3,blue", ",red"]);
        (int predicted, string predictions) = CliRunner.Run("predict", "--model", Path.Combine(_folder, "best.nsmodel"), "--data", Path.Combine(_folder, "basket.csv"));
        Assert.True(predicted == 0, predictions);
    }

    [Theory]
    [InlineData(2, "--space", "lrr=0.1", "did you mean 'lr'")]
    [InlineData(2, "--metric", "val_accuracy", "regression: use --metric val_loss")]
    [InlineData(2, "--space", "lr=0.01|16", "'16' is not a learning rate in (0, 10]")]
    [InlineData(2, "--space", "lr=uniform(0.01,100)", "'100' is not a learning rate in (0, 10]")]
    [InlineData(2, "--cluster", "http://x", "--cluster: 'http://x' is not redis://host:port")]
    [InlineData(2, "--cluster", "redis://127.0.0.1:6379:1", "is not redis://host:port")]
    [InlineData(1, "--cluster", "redis://127.0.0.1:1", "no Redis answers at redis://127.0.0.1:1 within 3 s. Start one (redis-server --port 1)")]
    [InlineData(1, "--data", "nowhere.csv", "nowhere.csv")]
    public void A_bad_space_metric_cluster_or_file_is_one_clear_message(int exit, string option, string value, string expected)
    {
        string[] args = ["tune", "--data", option == "--metric" ? "diabetes" : "iris", "--space", "lr=0.01", "--trials", "2", "--epochs", "1", "--out", _folder];
        int at = Array.IndexOf(args, option);
        args = at >= 0 ? [.. args[..(at + 1)], value, .. args[(at + 2)..]] : [.. args, option, value];
        (int code, string output) = CliRunner.Run(args);
        Assert.Equal(exit, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
        // the library's words only: no framework's parameter note, no client library's advice
        Assert.DoesNotContain("(Parameter", output, StringComparison.Ordinal);
        Assert.DoesNotContain("abortConnect", output, StringComparison.Ordinal);
    }
}
