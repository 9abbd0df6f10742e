using System.Text.Json;

namespace NeuralSharp.Tests.Cli;

public sealed class DiagnosticsCommandTests
{
    [Fact]
    public void Trace_prints_every_value_with_its_shape()
    {
        (int code, string output) = CliRunner.Run("trace");
        Assert.Equal(0, code);
        foreach (string label in new[] { "(W1)", "(u1)", "(z2)", "(y)", "(E)", "(delta3)", "(dW1)", "(db2)" })
        {
            Assert.Contains(label, output, StringComparison.Ordinal);
        }

        Assert.Contains("*** total input u1 (u1) ***\n[[0.6, 1.3, 2]]\nshape: [1, 3]", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_speaks_the_course_japanese()
    {
        (int code, string output) = CliRunner.Run("trace", "--lang", "ja", "--layers", "4", "--activation", "sigmoid");
        Assert.Equal(0, code);
        Assert.Contains("総入力1", output, StringComparison.Ordinal);
        Assert.Contains("中間層出力1", output, StringComparison.Ordinal);
        Assert.Contains("偏微分_重み2", output, StringComparison.Ordinal);
        Assert.Contains("誤差逆伝播", output, StringComparison.Ordinal);
        // the loss by the course's name too, and headings as wide as a line, not as the console's width
        Assert.Contains("誤差関数 二乗誤差", output, StringComparison.Ordinal);
        Assert.All(output.Split('\n'), line => Assert.True(line.Length <= 300, $"a line of {line.Length} characters"));
    }

    [Fact]
    public void Trace_follows_a_chosen_row_of_a_file_through_a_saved_model()
    {
        string folder = Directory.CreateTempSubdirectory("ns-trace-row-").FullName;
        try
        {
            string model = Path.Combine(folder, "iris.nsmodel"), rows = Path.Combine(folder, "rows.csv");
            Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--epochs", "3", "--plot", "none", "--save", model).ExitCode);
            // the model's target column ('target'), its labels by name
            File.WriteAllLines(rows, ["sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target", "5.1,3.5,1.4,0.2,setosa", "6.7,3.0,5.2,2.3,virginica"]);
            (int code, string output) = CliRunner.Run("trace", "--model", model, "--data", rows, "--row", "2", "--json");
            Assert.True(code == 0, output);
            var entries = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("label").GetString()!, e => e.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray());
            // the row as the model saw it in training: standardized with the model's own μ and σ
            var loaded = NeuralSharp.Serialization.ModelFile.Load<double>(model);
            double[] expected = [6.7, 3.0, 5.2, 2.3];
            loaded.Standardizer!.Transform(expected);
            Assert.Equal(expected, entries["x"]);
            // its label as the target, as the model's head encodes it for cross entropy: virginica, class 2 of the model's order
            Assert.Equal([2.0], entries["d"]);
            Assert.Equal(2, CliRunner.Run("trace", "--model", model, "--data", rows, "--row", "3").ExitCode);
            Assert.Equal(2, CliRunner.Run("trace", "--data", rows).ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Gradcheck_passes_and_reports_json()
    {
        (int code, string output) = CliRunner.Run("gradcheck", "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.InRange(json.RootElement.GetProperty("max_rel_error").GetDouble(), 0, 1e-7);
        // every registered elementwise activation in the hidden layers × five output/loss pairs
        Assert.Equal(5 * NeuralSharp.Activations.Activation.Registry.Count(a => a.Elementwise), json.RootElement.GetProperty("cases").GetArrayLength());
        (int tableCode, string table) = CliRunner.Run("gradcheck");
        Assert.Equal(0, tableCode);
        Assert.Contains("leaky-relu", table, StringComparison.Ordinal);
    }
}

[Collection(NeuralSharp.Tests.Kernels.GemmThreads.Name)]
public sealed class BenchCommandTests
{
    [Fact]
    public void Bench_prints_the_peer_protocol_and_a_correct_w1()
    {
        (int code, string output) = CliRunner.Run("bench", "--only", "W1,X0");
        Assert.Equal(0, code);
        string w1 = output.Split('\n').Single(line => line.StartsWith("W1 neuralsharp threads=1 case=online steps_per_s=", StringComparison.Ordinal));
        double finalLoss = double.Parse(w1.Split("final_loss=")[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(finalLoss, 1.64e-7, 1.67e-7); // every implementation of W1 ends at ≈ 1.656e-07
        Assert.Contains("X0 neuralsharp threads=1 case=matmul_1x2x10 us_per_op=", output, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("bench", "--only", "W10").ExitCode);
    }

    [Fact]
    public void Bench_json_gives_one_record_per_figure_with_numbers_as_numbers()
    {
        (int code, string output) = CliRunner.Run("bench", "--only", "W1", "--json");
        Assert.Equal(0, code);
        System.Text.Json.JsonElement w1 = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("results")[0];
        Assert.Equal("W1", w1.GetProperty("workload").GetString());
        Assert.Equal("neuralsharp", w1.GetProperty("impl").GetString());
        Assert.Equal(1, w1.GetProperty("threads").GetInt32());
        Assert.Equal("online", w1.GetProperty("case").GetString());
        Assert.True(w1.GetProperty("steps_per_s").GetDouble() > 0);
        Assert.InRange(w1.GetProperty("final_loss").GetDouble(), 1.64e-7, 1.67e-7);
    }
}
