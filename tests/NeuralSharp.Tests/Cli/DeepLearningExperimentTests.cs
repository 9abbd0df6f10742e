using NeuralSharp.Cli.Experiments;

namespace NeuralSharp.Tests.Cli;

/// <summary>Day 2's experiments, tested for what they show (Deep Learning from Scratch, chapters 6 and 7).</summary>
public sealed class DeepLearningExperimentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-day2-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Optimizer_paths_descend_and_SGD_zigzags_across_the_valley()
    {
        double start = OptimizerPathsExperiment.F(-7, 2);
        foreach ((string name, double rate) in OptimizerPathsExperiment.Optimizers)
        {
            (double[] x, double[] y) = OptimizerPathsExperiment.Path(name, rate);
            Assert.Equal(31, x.Length);
            Assert.True(OptimizerPathsExperiment.F(x[^1], y[^1]) < start / 10, $"{name} did not descend");
        }

        (_, double[] sgdY) = OptimizerPathsExperiment.Path("sgd", 0.95);
        int crossings = sgdY.Zip(sgdY.Skip(1), (a, b) => a * b < 0 ? 1 : 0).Sum();
        Assert.True(crossings >= 20, $"SGD crossed the valley only {crossings} times");
        (_, double[] adagradY) = OptimizerPathsExperiment.Path("adagrad", 1.5);
        Assert.True(adagradY.Zip(adagradY.Skip(1), (a, b) => a * b < 0 ? 1 : 0).Sum() < crossings / 2);
    }

    [Fact]
    public void Vanishing_gradient_shows_saturation_collapse_and_the_initialisations_that_avoid_them()
    {
        var results = VanishingGradientExperiment.Cases.ToDictionary(c => c.Label, c => VanishingGradientExperiment.Measure(c, 1));
        double Saturated(double[] values) => values.Count(v => v < 0.1 || v > 0.9) / (double)values.Length;
        double Spread(double[] values) => Math.Sqrt(values.Average(v => Math.Pow(v - values.Average(), 2)));
        // σ = 1: the sigmoids sit at their flat ends; σ = 0.01: every unit says the same; Xavier: in between
        Assert.True(Saturated(results["sigmoid, σ = 1"].Activations[4]) > 0.5);
        Assert.True(Spread(results["sigmoid, σ = 0.01"].Activations[4]) < 0.02);
        double xavier = Spread(results["sigmoid, Xavier"].Activations[4]);
        Assert.InRange(xavier, 0.05, 0.3);
        Assert.True(Saturated(results["sigmoid, Xavier"].Activations[4]) < 0.2);
        // the gradient shrinks towards the input through sigmoids, and vanishes with σ = 0.01
        foreach (string sigmoid in new[] { "sigmoid, σ = 1", "sigmoid, σ = 0.01", "sigmoid, Xavier" })
        {
            Assert.True(results[sigmoid].GradientNorms[0] < results[sigmoid].GradientNorms[4], sigmoid);
        }

        Assert.True(results["sigmoid, σ = 0.01"].GradientNorms[0] < 1e-6);
        double[] he = results["ReLU, He"].GradientNorms;
        Assert.InRange(he[0] / he[4], 0.1, 10);
    }

    [Fact]
    public void Batch_norm_trains_where_the_plain_network_cannot()
    {
        double[] normalised = BatchNormExperiment.Train(0.01, batchNorm: true, epochs: 10, seed: 1);
        double[] plain = BatchNormExperiment.Train(0.01, batchNorm: false, epochs: 10, seed: 1);
        Assert.True(normalised[^1] > 0.9, $"with batch norm: {normalised[^1]:P1}");
        Assert.True(plain[^1] < 0.25, $"without: {plain[^1]:P1}");
    }

    [Fact]
    public void Weight_decay_and_dropout_narrow_the_gap_between_train_and_test()
    {
        IReadOnlyList<OverfittingExperiment.Outcome> outcomes = OverfittingExperiment.RunAll(epochs: 150, seed: 1);
        double Gap(OverfittingExperiment.Outcome o) => o.Train[^1] - o.Test[^1];
        Assert.True(outcomes[0].Train[^1] > 0.97, "300 digits learnt by heart");
        Assert.True(Gap(outcomes[0]) > 0.12, $"gap without regularisation {Gap(outcomes[0]):F3}");
        Assert.True(Gap(outcomes[1]) < Gap(outcomes[0]) - 0.03, $"weight decay: {Gap(outcomes[1]):F3}");
        Assert.True(Gap(outcomes[2]) < Gap(outcomes[0]) - 0.01, $"dropout: {Gap(outcomes[2]):F3}");
    }

    [Fact]
    public void The_simple_conv_net_learns_and_its_filters_change()
    {
        (double[] accuracy, double[][,] before, double[][,] after) = SimpleConvNetExperiment.Train(epochs: 2, seed: 1);
        Assert.True(accuracy[^1] > 0.94, $"{accuracy[^1]:P1} after 2 epochs");
        Assert.Equal(30, before.Length);
        double change = 0, size = 0;
        for (int f = 0; f < 30; f++)
        {
            foreach ((int i, int j) in from i in Enumerable.Range(0, 5) from j in Enumerable.Range(0, 5) select (i, j))
            {
                change += Math.Pow(after[f][i, j] - before[f][i, j], 2);
                size += Math.Pow(before[f][i, j], 2);
            }
        }

        Assert.True(Math.Sqrt(change / size) > 0.05, "the filters did not move");
        // the plot's third row, what training added, is not the starting noise again: it barely correlates with it
        double[] added = [.. SimpleConvNetExperiment.Difference(after, before).SelectMany(f => f.Cast<double>())], start = [.. before.SelectMany(f => f.Cast<double>())];
        Assert.Equal(after[3][2, 1] - before[3][2, 1], SimpleConvNetExperiment.Difference(after, before)[3][2, 1]);
        double ma = added.Average(), ms = start.Average();
        double correlation = added.Zip(start, (a, b) => (a - ma) * (b - ms)).Sum() / Math.Sqrt(added.Sum(a => (a - ma) * (a - ma)) * start.Sum(b => (b - ms) * (b - ms)));
        Assert.True(Math.Abs(correlation) < 0.5, $"what training added correlates {correlation:F2} with the starting filters");
    }

    [Theory]
    [InlineData("optimizer-paths", "optimizer-paths.png", "f(x, y) = x²/20 + y² 上の最適化手法")]
    [InlineData("vanishing-gradient", "vanishing-gradient-gradients.png", "勾配消失と重みの初期値")]
    public void The_experiments_write_their_plots_in_either_language(string name, string plot, string japanese)
    {
        (int code, string output) = CliRunner.Run("experiment", name, "--lang", "ja", "--out", _folder);
        Assert.True(code == 0, output);
        Assert.Contains(japanese, output, StringComparison.Ordinal);
        CliRunner.AssertPlot(Path.Combine(_folder, plot));
    }
}
