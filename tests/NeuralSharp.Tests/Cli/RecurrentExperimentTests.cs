using System.Text.Json;
using NeuralSharp.Activations;
using NeuralSharp.Cli.Experiments;

namespace NeuralSharp.Tests.Cli;

/// <summary>
/// Day 3's experiments against the course's code, as data: Golden/simple-rnn.json is a NumPy run of notebook 3_1
/// (recipe: scripts/golden/simple_rnn.py) — its weights and sums fed to the library's network give the notebook's loss at
/// every iteration, its printed bits and its final weights.
/// </summary>
public sealed class RecurrentExperimentTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(LineBudgetTests.RepositoryRoot(), "tests", "NeuralSharp.Tests", "Golden", "simple-rnn.json"))).RootElement;

    private static JsonElement Run(string name) => Golden.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    private static double[,] Matrix(JsonElement rows)
    {
        double[][] values = [.. rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
        var matrix = new double[values.Length, values[0].Length];
        for (int i = 0; i < values.Length; i++)
        {
            for (int j = 0; j < values[0].Length; j++)
            {
                matrix[i, j] = values[i][j];
            }
        }

        return matrix;
    }

    private static (BinaryAddition Network, double[] Losses, List<string> Printed) Replay(JsonElement run, int? iterations = null)
    {
        JsonElement initial = run.GetProperty("initial");
        var network = new BinaryAddition(Matrix(initial.GetProperty("W_in")), Matrix(initial.GetProperty("W")), Matrix(initial.GetProperty("W_out")),
            Activation.Parse(run.GetProperty("activation").GetString()!), run.GetProperty("learning_rate").GetDouble());
        int[] a = [.. run.GetProperty("a").EnumerateArray().Select(v => v.GetInt32())], b = [.. run.GetProperty("b").EnumerateArray().Select(v => v.GetInt32())];
        var printed = new List<string>();
        double[] losses = SimpleRnnExperiment.Train(network, [.. a.Zip(b).Take(iterations ?? a.Length)], printed.Add, (_, _) => { });
        return (network, losses, printed);
    }

    private static void Close(IEnumerable<double> expected, IEnumerable<double> actual, double tolerance, string what)
    {
        foreach ((double e, double x, int i) in expected.Zip(actual, (e, x) => (e, x)).Select((p, i) => (p.e, p.x, i)))
        {
            Assert.True(Math.Abs(e - x) <= tolerance, $"{what}[{i}]: NumPy {e:R}, NeuralSharp {x:R}");
        }
    }

    [Fact]
    public void Sigmoid_run_follows_the_notebook_for_all_10000_iterations_and_gets_every_sum_right()
    {
        JsonElement run = Run("sigmoid");
        (BinaryAddition network, double[] losses, List<string> printed) = Replay(run);
        double[] expected = [.. run.GetProperty("all_loss").EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal(10_000, losses.Length);
        Close(expected, losses, 1e-9, "all_loss");
        JsonElement final = run.GetProperty("final");
        Close(Matrix(final.GetProperty("W_in")).Cast<double>(), network.Rnn.InputWeights.Value.ToArray(), 1e-9, "W_in");
        Close(Matrix(final.GetProperty("W")).Cast<double>(), network.Rnn.StateWeights.Value.ToArray(), 1e-9, "W");
        Close(Matrix(final.GetProperty("W_out")).Cast<double>(), network.ReadOut.Weights.Value.ToArray(), 1e-9, "W_out");
        Assert.Equal(run.GetProperty("exact_count").GetInt32(), network.ExactCount());
        Assert.Equal(16_384, network.ExactCount());
        // the notebook's lines, every 100 iterations: its bits, its sums
        string[] pred = [.. run.GetProperty("pred_bits").EnumerateArray().Select(bits => $"Pred:[{string.Join(' ', bits.EnumerateArray().Select(v => v.GetInt32()))}]")];
        Assert.Equal(pred, printed.Where(line => line.StartsWith("Pred:", StringComparison.Ordinal)));
        Assert.Equal(["iters:0", "Loss:0.963301167065312", "Pred:[0 1 1 0 0 0 1 0]", "True:[1 0 1 1 0 0 0 0]", "102 + 74 = 98", "------------"], printed.Take(6));
    }

    [Fact]
    public void Relu_run_explodes_as_the_notebook_does_and_rounds_half_to_even()
    {
        JsonElement run = Run("relu");
        (BinaryAddition network, double[] losses, _) = Replay(run);
        Close(run.GetProperty("all_loss").EnumerateArray().Select(v => v.GetDouble()), losses, 1e-9, "all_loss");
        // every unit died: y = 0.5 at every step, rounded to 0 as np.round does, so only 0 + 0 comes out right
        Assert.Equal(1.0, losses[^1]);
        Assert.Equal(run.GetProperty("exact_count").GetInt32(), network.ExactCount());
    }

    [Fact]
    public void Tanh_run_matches_the_notebook_while_its_chaos_allows()
    {
        // std 1 with tanh is chaotic: a difference in the last bit doubles every few iterations (the recipe measured it),
        // so the first eight iterations are what two correct implementations share
        JsonElement run = Run("tanh");
        (_, double[] losses, _) = Replay(run, 8);
        Close(run.GetProperty("all_loss").EnumerateArray().Select(v => v.GetDouble()).Take(8), losses, 1e-9, "all_loss");
    }

    [Fact]
    public void The_command_reports_its_exact_share_as_a_number_and_refuses_an_activation_it_cannot_use()
    {
        string folder = Directory.CreateTempSubdirectory("ns-rnn-").FullName;
        try
        {
            (int code, string output) = CliRunner.Run("experiment", "simple-rnn", "--json", "--out", folder);
            Assert.Equal(0, code);
            JsonElement values = JsonDocument.Parse(output).RootElement.GetProperty("experiments")[0].GetProperty("values");
            Assert.True(values.GetProperty("exact_share").GetDouble() >= 0.99, output[..200]);
            Assert.True(File.Exists(Path.Combine(folder, "simple-rnn.png")));
            (code, output) = CliRunner.Run("experiment", "simple-rnn", "--activation", "softmax", "--out", folder);
            Assert.Equal(2, code);
            Assert.Contains("--activation", output, StringComparison.Ordinal);
            (code, output) = CliRunner.Run("experiment", "simple-rnn", "--hidden", "0", "--out", folder);
            Assert.Equal(2, code);
            Assert.Contains("--hidden", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Predict_sin_learns_the_wave_and_generates_it_from_its_own_output()
    {
        PredictSinExperiment.Result result = PredictSinExperiment.Train(3000, 0.1, 5, seed: 1, (_, _) => { });
        Assert.True(result.TestLoss < 1e-4, $"test loss per sample {result.TestLoss:G3}");
        Assert.True(result.Losses[^1] < result.Losses[0] / 100, "the loss fell less than a hundredfold");
        // 200 values fed back into itself stay on the sine
        double worst = result.Generated.Zip(result.Truth, (g, t) => Math.Abs(g - t)).Max();
        Assert.True(worst < 0.1, $"the generated wave strays {worst:G3} from sin");
    }

    [Fact]
    public void Exploding_gradient_grows_back_through_time_with_large_weights_and_clipping_lets_it_learn()
    {
        double[] large = ExplodingGradientExperiment.DeltaNorms(2, seed: 1), small = ExplodingGradientExperiment.DeltaNorms(0.5, seed: 1);
        Assert.True(large[^1] > 1000 * large[0], $"σ = 2: ‖δ₁‖ = {large[^1]:G3}, ‖δ₈‖ = {large[0]:G3}");
        Assert.True(small[^1] < 10 * small[0], $"σ = 0.5: ‖δ₁‖ = {small[^1]:G3}, ‖δ₈‖ = {small[0]:G3}");
        (double[] unclipped, bool diverged) = ExplodingGradientExperiment.Train(1, null, 5000, seed: 1);
        Assert.True(diverged && unclipped.Length < 100, $"without clipping: {unclipped.Length} iterations, diverged {diverged}");
        (double[] clipped, bool clippedDiverged) = ExplodingGradientExperiment.Train(1, ExplodingGradientExperiment.ClipNorm, 5000, seed: 1);
        Assert.False(clippedDiverged);
        Assert.True(clipped.TakeLast(100).Average() < 0.5, $"clipped: last loss {clipped.TakeLast(100).Average():G3}");
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.963301167065312, "0.963301167065312")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(123.25, "123.25")]
    [InlineData(-0.00012, "-0.00012")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    public void Floats_print_as_python_prints_them(double value, string expected) =>
        Assert.Equal(expected, SimpleRnnExperiment.PythonFloat(value));
}
