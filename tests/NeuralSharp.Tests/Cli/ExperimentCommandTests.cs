using System.Globalization;
using System.Text.RegularExpressions;
using NeuralSharp.Activations;
using NeuralSharp.Cli.Experiments;

namespace NeuralSharp.Tests.Cli;

public sealed partial class ExperimentCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-exp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Code, string Output) Run(params string[] args) => CliRunner.Run(["experiment", .. args, "--out", _folder]);

    [Fact]
    public void Forward_prints_the_notebook_values()
    {
        (int code, string output) = Run("forward");
        Assert.Equal(0, code);
        foreach (string golden in new[]
        {
            "[[1.3]]", "[[1.4, 2.2, 3]]", "[[0.80218389, 0.90024951, 0.95257413]]", "[[0.6, 1.3, 2]]", "[[1.02, 2.29]]", "[[1.56, 3.222]]",
            "[[0.016027962, 0.057073211, 0.20322929, 0.72366954]]", "[0.32342029]", "[0.971125]", "[[0.87435214]]", "[0.13427196]", "np.random.randint(5)",
        })
        {
            Assert.Contains(golden, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Backprop_prints_the_notebook_gradients_and_update()
    {
        (int code, string output) = Run("backprop", "--lang", "ja");
        Assert.Equal(0, code);
        foreach (string golden in new[]
        {
            "[[0.087065772, -0.087065772]]", "[[-0.026119732, -0.026119732, -0.026119732]]",
            "[[0.10447893, -0.10447893], [0.21766443, -0.21766443], [0.33084994, -0.33084994]]",
            "[[0.1002612, 0.3002612, 0.5002612], [0.20130599, 0.40130599, 0.60130599]]", "[0.099129342, 0.20087066]", "偏微分_dE/du2",
        })
        {
            Assert.Contains(golden, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sgd_regression_with_relu_cuts_the_loss_tenfold_and_plots_every_step()
    {
        (int code, string output) = Run("sgd-regression");
        Assert.Equal(0, code);
        Assert.True(Ratio(output) < 0.1, output);
        CliRunner.AssertPlot(Path.Combine(_folder, "sgd-regression.png"));
    }

    [Fact]
    public void Sigmoid_on_a_wide_input_range_converges_slower_and_noisier()
    {
        var relu = CourseRegression.Run("relu", new Relu<float>(), (0, 1), 1000, seed: 1);
        var sigmoid = CourseRegression.Run("sigmoid", new Sigmoid<float>(), (-5, 5), 1000, seed: 1);
        Assert.Null(sigmoid.Diverged);
        // slower: the loss falls by a far smaller factor
        Assert.True(sigmoid.Last100 / sigmoid.First100 > 10 * (relu.Last100 / relu.First100), $"{sigmoid.Last100 / sigmoid.First100} vs {relu.Last100 / relu.First100}");
        // noisier: the losses of the last 100 steps scatter far more
        double Spread(CourseRegression.Result r) => r.Noise * r.Last100;
        Assert.True(Spread(sigmoid) > 100 * Spread(relu));
        (int code, string output) = Run("sgd-regression", "--activation", "sigmoid", "--x-range", "-5,5");
        Assert.Equal(0, code);
        Assert.True(Ratio(output) > 0.1);
    }

    [Fact]
    public void Course_colab_preset_says_what_it_reproduces_and_still_learns()
    {
        (int code, string output) = Run("sgd-regression", "--preset", "course-colab");
        Assert.Equal(0, code);
        Assert.Contains("d_sigmoid(z1)", output, StringComparison.Ordinal);
        Assert.True(Ratio(output) < 0.1);
    }

    [Fact]
    public void Learning_rate_catches_the_divergence_and_reports_it()
    {
        (int code, string output) = Run("learning-rate");
        Assert.Equal(0, code);
        Assert.Contains("η = 3: diverged — Training diverged at step", output, StringComparison.Ordinal);
        CliRunner.AssertPlot(Path.Combine(_folder, "learning-rate.png"));
    }

    [Fact]
    public void All_writes_one_self_contained_report_with_every_exercise()
    {
        (int code, string output) = Run("all", "--steps", "200");
        Assert.Equal(0, code);
        string report = File.ReadAllText(Path.Combine(_folder, "report.html"));
        int index = 0;
        foreach (IExperiment experiment in ExperimentCatalog.All)
        {
            string title = System.Net.WebUtility.HtmlEncode(experiment.Title(new NeuralSharp.Cli.Rendering.Labels("en")));
            // in the table of contents, as its section's heading, and nowhere again
            Assert.Contains($"<li><a href=\"#s{++index}\">{title}</a></li>", report, StringComparison.Ordinal);
            Assert.Contains($"<section id=\"s{index}\"><h2>{title}</h2>", report, StringComparison.Ordinal);
            Assert.DoesNotContain($"<h3>{title}</h3>", report, StringComparison.Ordinal);
        }

        Assert.Contains("white-space:pre-wrap", report, StringComparison.Ordinal);

        Assert.Contains("data:image/png;base64,", report, StringComparison.Ordinal);
        Assert.Contains("What is the ", report, StringComparison.Ordinal);
        foreach (string plot in new[] { "network-2-3-3-1", "activation-compare", "input-range", "gradient-descent", "mnist-sample", "optimizers", "init-compare" })
        {
            CliRunner.AssertPlot(Path.Combine(_folder, plot + ".png"));
        }

        Assert.Matches(TestAccuracy(), output);
        // progress: each experiment's place in the run, and the long runs' steps at each quarter — on the console, not in the report
        Assert.Contains($"(1/{ExperimentCatalog.All.Count} done, ", output, StringComparison.Ordinal);
        Assert.Contains($"({ExperimentCatalog.All.Count}/{ExperimentCatalog.All.Count} done, ", output, StringComparison.Ordinal);
        Assert.Matches(@"normal:0\.01: 50/200 steps", output);
        Assert.Matches(@"normal:0\.01: 200/200 steps", output);
        Assert.DoesNotContain("200/200 steps", report, StringComparison.Ordinal);
    }

    private static double Ratio(string output) =>
        double.Parse(RatioPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"ratio ([0-9.eE+-]+)")]
    private static partial Regex RatioPattern();

    [GeneratedRegex(@"step 200: train accuracy 0\.[6-9]\d*, test accuracy 0\.[6-9]")]
    private static partial Regex TestAccuracy();
}
