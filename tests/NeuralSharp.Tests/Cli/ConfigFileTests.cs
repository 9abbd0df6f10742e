namespace NeuralSharp.Tests.Cli;

/// <summary><c>train --config</c>: options from a file, the typed ones winning, and a saved model's run repeated from the file beside it.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    [Fact]
    public void A_saved_run_is_repeated_bit_for_bit_from_its_config_file()
    {
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--layers", "16,8", "--epochs", "7", "--l2", "0.01", "--optimizer", "sgd", "--lr", "0.2", "--json", "--save", File("a.nsmodel")).ExitCode);
        Assert.True(System.IO.File.Exists(File("a.config.json")));
        (int code, string output) = CliRunner.Run("train", "--config", File("a.config.json"), "--json", "--save", File("b.nsmodel"));
        Assert.True(code == 0, output);
        Assert.Equal(System.IO.File.ReadAllBytes(File("a.nsmodel")), System.IO.File.ReadAllBytes(File("b.nsmodel")));
    }

    [Fact]
    public void A_typed_option_wins_over_the_file()
    {
        System.IO.File.WriteAllText(File("run.json"), """{"data": "iris", "epochs": 9, "batch-norm": false}""");
        (int code, string output) = CliRunner.Run("train", "--config", File("run.json"), "--epochs", "3", "--json");
        Assert.True(code == 0, output);
        Assert.Contains("\"epochs\":3", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"layer": "8"}""", "Did you mean 'layers'?")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    [InlineData("""{"epochs": [1]}""", "'epochs' in")]
    [InlineData("""{"layers": {"a": 1}}""", "must be a string, not {")]
    [InlineData("""{"epochs": "ten"}""", "'epochs' in")]
    [InlineData("""{"epochs": 1.5}""", "must be a whole number, not 1.5")]
    [InlineData("""{"batch-norm": "yes"}""", "'batch-norm' in")]
    [InlineData("""{"seed": -1}""", "must be a whole number ≥ 0, not -1")]
    [InlineData("""{"lr": "fast"}""", "'lr' in")]
    [InlineData("""{"epochs": """, "not valid JSON")]
    public void A_bad_config_file_is_a_usage_error(string json, string expected)
    {
        System.IO.File.WriteAllText(File("bad.json"), json);
        (int code, string output) = CliRunner.Run("train", "--config", File("bad.json"));
        Assert.Equal(2, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }
}
