using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;

namespace NeuralSharp.Cli.Experiments;

/// <summary>The same problem at a too-small, a good and a too-large learning rate.</summary>
internal sealed class LearningRateExperiment : IExperiment
{
    private static readonly double[] Rates = [0.001, 0.07, 3.0];

    public string Name => "learning-rate";

    public IReadOnlyList<string> Options => ["--steps"];

    public string Title(Labels labels) => labels.T("The learning rate", "学習率");

    public string Question(Labels labels) => labels.T(
        "What does the learning rate η do? Each update moves the weights by η times the gradient: too small and learning crawls, too large and the steps overshoot until the loss explodes.",
        "学習率 η は何をするか。更新のたびに重みを勾配の η 倍だけ動かす。小さすぎると学習が遅く、大きすぎると行き過ぎて誤差が発散する。");

    public void Run(ExperimentContext context)
    {
        int steps = context.Settings.Steps ?? 1000;
        var results = Rates
            .Select(rate => CourseRegression.Run($"η = {rate}", new Relu<float>(), (0, 1), steps, context.Settings.Seed, rate))
            .ToList();
        var series = new List<PlotFile.Series>();
        foreach (CourseRegression.Result result in results)
        {
            CourseRegression.Print(context, result);
            if (result.Losses.Length > 0)
            {
                series.Add(new PlotFile.Series(result.Label, CourseRegression.Steps(result.Losses.Length), result.Losses, Dots: true));
            }
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Too small, good, too large", "学習率の違い"), context.Labels.Axis("step"), context.Labels.Axis("loss"), series, logY: true);
        context.Output.Plot(plot, "η = 0.001 / 0.07 / 3");
    }
}
