namespace NeuralSharp.Tests.Cli;

/// <summary>Bad usage exits 2 naming the option; bad files, NaN data and diverging runs exit 1 with one line; no stack traces.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("--colour", "train", "--colour", "red")]
    [InlineData("--epochs", "train", "--epochs", "many")]
    [InlineData("--epochs", "train", "--epochs", "0")]
    [InlineData("--lr", "train", "--lr", "-1")]
    [InlineData("--test-split", "train", "--test-split", "1.5")]
    [InlineData("--activation", "train", "--activation", "mish")]
    [InlineData("--output", "train", "--output", "cube")]
    [InlineData("--loss", "train", "--loss", "hinge")]
    [InlineData("--optimizer", "train", "--optimizer", "lbfgs")]
    [InlineData("--batch", "train", "--batch", "some")]
    [InlineData("--layers", "train", "--layers", "10,x")]
    [InlineData("--init", "train", "--init", "glorot")]
    [InlineData("--data", "train", "--data", "cifar")]
    [InlineData("--loss", "train", "--data", "diabetes", "--loss", "ce")]
    [InlineData("--lang", "experiment", "forward", "--lang", "fr")]
    [InlineData("--x-range", "experiment", "sgd-regression", "--x-range", "5,1")]
    [InlineData("--preset", "experiment", "sgd-regression", "--preset", "colab")]
    [InlineData("experiment", "experiment", "dropout")]
    [InlineData("--model", "predict", "--data", "x.csv")]
    public void Bad_usage_exits_2_naming_the_option(string named, params string[] args)
    {
        string[] full = args[0] == "train" ? [.. args, "--plot", Path.Combine(_folder, "p.png")] : args;
        (int code, string output) = CliRunner.Run(full);
        Assert.Equal(2, code);
        Assert.Contains(named, output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }

    [Fact]
    public void Missing_file_exits_1_with_one_line()
    {
        (int code, string output) = CliRunner.Run("train", "--data", Path.Combine(_folder, "none.csv"), "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(1, code);
        Assert.Contains("No CSV file at", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }

    [Fact]
    public void Malformed_csv_exits_1_naming_line_and_column()
    {
        string csv = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(csv, "a,b,target\n1,2,0\n3,x,1\n");
        (int code, string output) = CliRunner.Run("train", "--data", csv, "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(1, code);
        Assert.Contains("bad.csv, line 3, column 2 (b): 'x' is not a number.", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }

    [Fact]
    public void Nan_in_data_exits_1()
    {
        string csv = Path.Combine(_folder, "nan.csv");
        File.WriteAllText(csv, "a,b,target\n1,2,0\n3,NaN,1\n");
        (int code, string output) = CliRunner.Run("train", "--data", csv, "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(1, code);
        Assert.Contains("'NaN' is not a finite number", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Diverging_run_exits_1_suggesting_a_smaller_learning_rate()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "course-regression", "--optimizer", "sgd", "--lr", "1000000", "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(1, code);
        Assert.Contains("Training diverged at step", output, StringComparison.Ordinal);
        Assert.Contains("smaller learning rate", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }

    [Fact]
    public void A_rate_that_float32_cannot_hold_trains_nothing_and_saves_nothing()
    {
        // 1e300 is ∞ in float32: its one update made every weight non-finite; now it is refused before any training
        // (a last update that diverges with a representable rate is stopped by the engine: TrainingStepTests)
        string model = Path.Combine(_folder, "diverged.nsmodel");
        (int code, string output) = CliRunner.Run("train", "--lr", "1e300", "--optimizer", "sgd", "--batch", "full", "--epochs", "1", "--save", model, "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(2, code);
        Assert.Contains("is more than float32 holds", output, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
        CliRunner.AssertNoStackTrace(output);
    }

    [Theory]
    [InlineData("40000,40000")]
    [InlineData("100000,100000")]
    public void A_network_too_large_is_refused_up_front(string layers)
    {
        (int code, string output) = CliRunner.Run("train", "--layers", layers, "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(1, code);
        Assert.Contains("parameters", output, StringComparison.Ordinal);
        Assert.Contains("the limit is 50,000,000", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }

    [Fact]
    public void Task_overrides_the_guess_for_a_csv()
    {
        string csv = Path.Combine(_folder, "levels.csv");
        File.WriteAllText(csv, "a,b,level\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{i % 7},{i % 5},{1 + (i % 3)}\n")));
        (int regression, string guessed) = CliRunner.Run("train", "--data", csv, "--epochs", "2", "--json", "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(0, regression);
        Assert.Contains("r2", guessed, StringComparison.Ordinal); // 1, 2, 3 are not class indices
        (int classes, string told) = CliRunner.Run("train", "--data", csv, "--task", "classification", "--epochs", "2", "--json", "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(0, classes);
        Assert.Contains("accuracy", told, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("train", "--task", "clustering").ExitCode);
        (int shown, string table) = CliRunner.Run("train", "--data", csv, "--epochs", "1", "--plot", Path.Combine(_folder, "p.png"));
        Assert.Equal(0, shown);
        Assert.Contains("Task: regression — 'level' holds numbers that are not the class indices", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_exits_1()
    {
        string model = Path.Combine(_folder, "m.nsmodel");
        File.WriteAllText(model, "NSMODEL\nnot really");
        (int code, string output) = CliRunner.Run("summary", "--model", model);
        Assert.Equal(1, code);
        Assert.Contains("m.nsmodel", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }
}

/// <summary>Errors go to standard error, results to standard output; with --json an error is a JSON object on standard output.</summary>
public sealed class ErrorStreamTests
{
    [Fact]
    public void An_error_goes_to_standard_error_alone()
    {
        (int code, string output, string errors) = CliRunner.RunSplit("train", "--epochs", "0");
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains("Error:", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--optimizer", "adma", "Did you mean 'adam'?")]
    [InlineData("--activation", "relux", "Did you mean 'relu'?")]
    [InlineData("--loss", "cee", "Did you mean 'ce'?")]
    public void A_bad_choice_is_refused_before_any_data_is_loaded_with_the_nearest_name(string option, string value, string suggestion)
    {
        (int code, string output, string errors) = CliRunner.RunSplit("train", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output); // no data set line, no network table
        Assert.Contains(suggestion, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void With_json_an_error_is_a_json_object_on_standard_output()
    {
        (int code, string output, string errors) = CliRunner.RunSplit("train", "--data", "no-such-file.csv", "--json");
        Assert.Equal(1, code);
        Assert.Equal("", errors);
        using var document = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(1, document.RootElement.GetProperty("exit").GetInt32());
        Assert.Contains("no-such-file.csv", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}

/// <summary><c>neuralsharp --version</c> says the library's version.</summary>
public sealed class VersionTests
{
    [Fact]
    public void Version_prints_the_library_version()
    {
        (int code, string output) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.Contains(typeof(NeuralSharp.Layers.Dense<float>).Assembly.GetName().Version!.ToString(3), output, StringComparison.Ordinal);
    }
}

/// <summary>Every command's help renders (a description once broke Spectre's markup and crashed <c>train --help</c>).</summary>
public sealed class HelpTests
{
    [Fact]
    public void Placeholders_read_as_written()
    {
        (_, string predict) = CliRunner.Run("predict", "--help");
        Assert.Contains("--data <FILE.csv>", predict, StringComparison.Ordinal);
        (_, string train) = CliRunner.Run("train", "--help");
        Assert.Contains("--config <FILE.json>", train, StringComparison.Ordinal);
        Assert.DoesNotContain("<FILE.CSV>", predict + train, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_option_of_every_command_has_a_description()
    {
        var settings = typeof(NeuralSharp.Cli.CliApp).Assembly.GetTypes().Where(t => typeof(Spectre.Console.Cli.CommandSettings).IsAssignableFrom(t));
        string[] bare = [.. settings.SelectMany(t => t.GetProperties())
            .Where(p => p.GetCustomAttributes(typeof(Spectre.Console.Cli.CommandOptionAttribute), false).Length > 0)
            .Where(p => p.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false) is not [System.ComponentModel.DescriptionAttribute { Description.Length: > 10 }])
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")];
        Assert.True(bare.Length == 0, "Options without a description: " + string.Join(", ", bare));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("predict")]
    [InlineData("summary")]
    [InlineData("trace")]
    [InlineData("gradcheck")]
    [InlineData("bench")]
    [InlineData("playground")]
    [InlineData("experiment")]
    [InlineData("export")]
    [InlineData("import")]
    [InlineData("tune")]
    [InlineData("worker")]
    public void Help_renders_for_every_command(string command)
    {
        (int code, string output) = CliRunner.Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("USAGE", output, StringComparison.OrdinalIgnoreCase);
        // two or three examples close every command's help
        int at = output.IndexOf("EXAMPLES:", StringComparison.Ordinal);
        Assert.True(at > output.IndexOf("OPTIONS:", StringComparison.Ordinal), $"{command} --help: the examples are not last:\n{output}");
        string[] after = [.. output[(at + 9)..].Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];
        int count = after.Count(line => line.StartsWith("neuralsharp " + command, StringComparison.Ordinal));
        Assert.Equal(after.Length, count);
        Assert.True(count is >= 2 and <= 3, $"{command} --help has {count} examples:\n{output}");
        CliRunner.AssertNoStackTrace(output);
        Assert.DoesNotContain("Internal error", output, StringComparison.Ordinal);
    }
}
