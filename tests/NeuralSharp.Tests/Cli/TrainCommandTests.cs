using System.Text.Json;

namespace NeuralSharp.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Default_train_exits_0_shows_metrics_and_writes_a_plot()
    {
        (int code, string output) = CliRunner.Run("train", "--plot", File("loss.png"));
        Assert.Equal(0, code);
        Assert.Contains("digits: 1797 samples", output, StringComparison.Ordinal);
        Assert.Contains("Test accuracy:", output, StringComparison.Ordinal);
        Assert.Contains("Confusion matrix", output, StringComparison.Ordinal);
        Assert.Contains("dense1", output, StringComparison.Ordinal);
        Assert.Contains("Loss curve written to", output, StringComparison.Ordinal);
        CliRunner.AssertPlot(File("loss.png"));
    }

    [Fact]
    public void Plot_can_be_svg()
    {
        (int code, _) = CliRunner.Run("train", "--data", "iris", "--epochs", "5", "--plot", File("loss.svg"));
        Assert.Equal(0, code);
        string svg = System.IO.File.ReadAllText(File("loss.svg"));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("Training loss", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_the_classification_fields()
    {
        // iris' 96 training rows (a fifth of the 120 left after the test is held out for validation) take 60 epochs
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "60", "--json", "--plot", File("p.png"), "--save", File("iris.nsmodel"));
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("multiclass", root.GetProperty("task").GetString());
        Assert.InRange(root.GetProperty("test_accuracy").GetDouble(), 0.9, 1.0);
        Assert.InRange(root.GetProperty("val_accuracy").GetDouble(), 0.8, 1.0);
        Assert.True(root.GetProperty("val_loss").GetDouble() > 0);
        Assert.True(root.GetProperty("last_step_loss").GetDouble() > 0);
        Assert.True(root.GetProperty("last_epoch_loss").GetDouble() > 0);
        Assert.Equal(60, root.GetProperty("epochs").GetInt32());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(File("iris.nsmodel"), root.GetProperty("model").GetString());
    }

    [Fact]
    public void Json_has_the_regression_fields()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "diabetes", "--json", "--layers", "16", "--plot", File("p.png"));
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("regression", json.RootElement.GetProperty("task").GetString());
        Assert.InRange(json.RootElement.GetProperty("test_r2").GetDouble(), 0.3, 1.0);
        Assert.True(json.RootElement.GetProperty("test_mse").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("model").ValueKind);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("online")]
    [InlineData("8")]
    public void Every_batch_mode_trains(string batch)
    {
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--batch", batch, "--epochs", "20", "--optimizer", "sgd", "--lr", "0.1", "--json", "--plot", File("p.png"));
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.InRange(json.RootElement.GetProperty("test_accuracy").GetDouble(), 0.8, 1.0);
    }

    [Fact]
    public void History_writes_every_epochs_numbers_as_csv_or_json()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "7", "--plot", "none", "--history", File("h.csv"));
        Assert.True(code == 0, output);
        string[] lines = System.IO.File.ReadAllLines(File("h.csv"));
        Assert.Equal("epoch,steps,train_loss,train_accuracy,val_loss,val_accuracy", lines[0]);
        Assert.Equal(8, lines.Length);
        Assert.StartsWith("7,", lines[^1], StringComparison.Ordinal);
        Assert.True(double.Parse(lines[^1].Split(',')[4], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(0, CliRunner.Run("train", "--data", "diabetes", "--epochs", "3", "--plot", "none", "--history", File("h.json"), "--json").ExitCode);
        using JsonDocument json = JsonDocument.Parse(System.IO.File.ReadAllText(File("h.json")));
        Assert.Equal("r2", json.RootElement.GetProperty("metric").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("epochs")[2].GetProperty("val_r2").GetDouble() is > -10 and < 1);
        (int refused, string message) = CliRunner.Run("train", "--data", "iris", "--history", File("h.txt"));
        Assert.Equal(2, refused);
        Assert.Contains("--history", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_column_and_gaps_are_learnt_from_kept_in_the_model_and_read_the_same_way_by_predict()
    {
        // the label is the colour's (red and green: yes, blue: no); the size column has gaps and no bearing
        string csv = File("fruit.csv");
        var rows = new List<string> { "colour,size,ripe" };
        var random = new Random(2);
        string[] colours = ["red", "green", "blue"];
        for (int i = 0; i < 300; i++)
        {
            string colour = colours[i % 3];
            rows.Add($"{colour},{(i % 7 == 0 ? "" : random.Next(1, 10).ToString(System.Globalization.CultureInfo.InvariantCulture))},{(colour == "blue" ? "no" : "yes")}");
        }

        System.IO.File.WriteAllLines(csv, rows);
        (int refused, string why) = CliRunner.Run("train", "--data", csv, "--epochs", "5");
        Assert.Equal(1, refused);
        Assert.Contains("(size): a missing value", why, StringComparison.Ordinal);
        Assert.Contains("--missing", why, StringComparison.Ordinal);

        (int code, string output) = CliRunner.Run("train", "--data", csv, "--missing", "median", "--epochs", "60", "--save", File("fruit.nsmodel"), "--json");
        Assert.True(code == 0, output);
        using (JsonDocument trained = JsonDocument.Parse(output))
        {
            Assert.True(trained.RootElement.GetProperty("test_accuracy").GetDouble() >= 0.95, output);
        }

        (_, string summary) = CliRunner.Run("summary", "--model", File("fruit.nsmodel"));
        Assert.Contains("colour=blue", summary, StringComparison.Ordinal);

        // another column order, a gap, a colour the model never saw (all zeros), an id left aside
        System.IO.File.WriteAllLines(File("basket.csv"), ["id,size,colour", "1,3,blue", "2,,red", "3,5,purple"]);
        (int predicted, string predictions) = CliRunner.Run("predict", "--model", File("fruit.nsmodel"), "--data", File("basket.csv"), "--json");
        Assert.True(predicted == 0, predictions);
        using JsonDocument json = JsonDocument.Parse(predictions);
        JsonElement[] answers = [.. json.RootElement.GetProperty("predictions").EnumerateArray()];
        Assert.Equal(["no", "yes"], answers.Take(2).Select(a => a.GetProperty("prediction").GetString()));
        Assert.Equal(3, answers.Length);
        Assert.Equal(["id"], json.RootElement.GetProperty("ignored_columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, json.RootElement.GetProperty("unknown_categories").GetInt32());
        (_, string table) = CliRunner.Run("predict", "--model", File("fruit.nsmodel"), "--data", File("basket.csv"));
        Assert.Contains("1 cell of text columns held a category the model was not trained on", table, StringComparison.Ordinal);
        Assert.Contains("line 4, column 3 (colour): 'purple'", table, StringComparison.Ordinal);

        // training on from the model reads the file by the model's encoding
        (int more, string again) = CliRunner.Run("train", "--model", File("fruit.nsmodel"), "--data", csv, "--missing", "median", "--epochs", "2", "--json");
        Assert.True(more == 0, again);
    }

    [Fact]
    public void Trains_on_a_csv_file_saves_and_predicts_with_probabilities()
    {
        string csv = File("animals.csv");
        var rows = new List<string> { "length,weight,kind" };
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            bool dog = i % 2 == 0;
            rows.Add($"{(dog ? 80 : 45) + random.Next(-10, 10)},{(dog ? 20 : 4) + random.Next(-3, 3)},{(dog ? "dog" : "cat")}");
        }

        System.IO.File.WriteAllLines(csv, rows);
        (int code, string output) = CliRunner.Run("train", "--data", csv, "--target", "kind", "--save", File("m.nsmodel"), "--plot", File("p.png"), "--epochs", "20");
        Assert.Equal(0, code);
        Assert.Contains("2 classes (cat, dog)", output, StringComparison.Ordinal);

        System.IO.File.WriteAllLines(File("new.csv"), ["weight,length", "21,82", "4,44"]);
        (int predictCode, string predictions) = CliRunner.Run("predict", "--model", File("m.nsmodel"), "--data", File("new.csv"), "--json");
        Assert.Equal(0, predictCode);
        using JsonDocument json = JsonDocument.Parse(predictions);
        JsonElement[] rowsOut = [.. json.RootElement.GetProperty("predictions").EnumerateArray()];
        Assert.Equal("dog", rowsOut[0].GetProperty("prediction").GetString());
        Assert.Equal("cat", rowsOut[1].GetProperty("prediction").GetString());
        Assert.Equal(1.0, rowsOut[0].GetProperty("probabilities").GetProperty("dog").GetDouble() + rowsOut[0].GetProperty("probabilities").GetProperty("cat").GetDouble(), 6);

        // an id column, and the label under another name than the model's target: left aside and said so, not read as numbers
        System.IO.File.WriteAllLines(File("named.csv"), ["id,weight,length,animal", "pet A,21,82,dog", "pet B,4,44,cat"]);
        (int namedCode, string named) = CliRunner.Run("predict", "--model", File("m.nsmodel"), "--data", File("named.csv"));
        Assert.True(namedCode == 0, named);
        Assert.Contains("Left aside (not the model's): id, animal.", named, StringComparison.Ordinal);
        (_, string namedJson) = CliRunner.Run("predict", "--model", File("m.nsmodel"), "--data", File("named.csv"), "--json");
        using JsonDocument namedResult = JsonDocument.Parse(namedJson);
        Assert.Equal(["id", "animal"], namedResult.RootElement.GetProperty("ignored_columns").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("dog", namedResult.RootElement.GetProperty("predictions")[0].GetProperty("prediction").GetString());
        // --out: the input's rows with their predictions and probabilities appended, in its separator
        (int outCode, string outText) = CliRunner.Run("predict", "--model", File("m.nsmodel"), "--data", File("named.csv"), "--out", File("scored.csv"));
        Assert.True(outCode == 0, outText);
        Assert.Equal(
            ["id,weight,length,animal,prediction,P(cat),P(dog)", "pet A,21,82,dog,dog,", "pet B,4,44,cat,cat,"],
            System.IO.File.ReadAllLines(File("scored.csv")).Select(line => line.Split(',').Length == 7 && line.StartsWith("pet", StringComparison.Ordinal) ? string.Join(',', line.Split(',')[..5]) + "," : line));
        Assert.Equal(2, CliRunner.Run("predict", "--model", File("m.nsmodel"), "--data", File("named.csv"), "--out", _folder).ExitCode);

        // the model's own target column, in text, is read as labels and scored
        System.IO.File.WriteAllLines(File("labelled.csv"), ["id,kind,weight,length", "pet A,dog,21,82", "pet B,cat,4,44"]);
        (int labelledCode, string labelled) = CliRunner.Run("predict", "--model", File("m.nsmodel"), "--data", File("labelled.csv"));
        Assert.True(labelledCode == 0, labelled);
        Assert.Contains("Against its 'kind' column: accuracy 100.00", labelled, StringComparison.Ordinal);

        (int summaryCode, string summary) = CliRunner.Run("summary", "--model", File("m.nsmodel"));
        Assert.Equal(0, summaryCode);
        Assert.Contains("Dense 2→64", summary, StringComparison.Ordinal);
        Assert.Contains("Classes: cat, dog", summary, StringComparison.Ordinal);
        // the task by the name train --json gives it
        Assert.Contains("Task: binary;", summary, StringComparison.Ordinal);
        Assert.Contains("\"task\":\"binary\"", CliRunner.Run("summary", "--model", File("m.nsmodel"), "--json").Output, StringComparison.Ordinal);
    }
}

/// <summary>Tests that change the process's current folder run alone (other tests write relative files).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CurrentFolder
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Current folder";
}

[Collection(CurrentFolder.Name)]
public sealed class TrainJsonTests
{
    [Fact]
    public void Json_writes_no_plot_unless_asked()
    {
        string folder = Directory.CreateTempSubdirectory("ns-json-").FullName;
        string previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(folder);
            (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "2", "--json");
            Assert.Equal(0, code);
            Assert.Empty(Directory.GetFiles(folder));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, JsonDocument.Parse(output).RootElement.GetProperty("plot").ValueKind);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            Directory.Delete(folder, recursive: true);
        }
    }
}
