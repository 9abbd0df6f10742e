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
