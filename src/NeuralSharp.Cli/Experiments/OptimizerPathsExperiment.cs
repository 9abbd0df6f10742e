using NeuralSharp.Cli.Rendering;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Deep Learning from Scratch §6.1.7: the paths of SGD, Momentum, AdaGrad and Adam — the library's own optimizers —
/// from (−7, 2) on f(x, y) = x²/20 + y², 30 steps each, over the function's contours.
/// </summary>
internal sealed class OptimizerPathsExperiment : IExperiment
{
    public string Name => "optimizer-paths";

    public string Title(Labels labels) => labels.T("Optimizers on f(x, y) = x²/20 + y² (§6.1)", "f(x, y) = x²/20 + y² 上の最適化手法（6.1節）");

    public string Question(Labels labels) => labels.T(
        "Why not plain gradient descent? This bowl is steep in y and flat in x: SGD zigzags across the valley, Momentum rolls along it, AdaGrad and Adam scale each direction's step by its own history.",
        "なぜ単純な勾配降下ではだめなのか。この器は y 方向に急で x 方向に平らだ。SGD は谷を横切ってジグザグに進み、Momentum は谷に沿って転がり、AdaGrad と Adam は方向ごとに過去の勾配で歩幅を調整する。");

    /// <summary>The optimizers and learning rates of the book's figure 6-8.</summary>
    public static IReadOnlyList<(string Name, double Rate)> Optimizers { get; } = [("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5), ("adam", 0.3)];

    public static double F(double x, double y) => (x * x / 20) + (y * y);

    /// <summary>The 31 points (start included) an optimizer visits.</summary>
    public static (double[] X, double[] Y) Path(string optimizer, double rate, int steps = 30)
    {
        var point = new Parameter<double>("xy", new NDArray<double>(new Shape(2), [-7.0, 2.0]));
        Optimizer<double> step = OptimizerFactory.Create<double>(optimizer, rate);
        double[] xs = new double[steps + 1], ys = new double[steps + 1];
        (xs[0], ys[0]) = (-7, 2);
        for (int i = 1; i <= steps; i++)
        {
            // ∂f/∂x = x/10, ∂f/∂y = 2y
            point.Gradient[0] = point.Value[0] / 10;
            point.Gradient[1] = 2 * point.Value[1];
            step.Step([point]);
            (xs[i], ys[i]) = (point.Value[0], point.Value[1]);
        }

        return (xs, ys);
    }

    public void Run(ExperimentContext context)
    {
        var series = new List<PlotFile.Series>();
        foreach (double level in new[] { 0.25, 1, 2.5, 5, 10 })
        {
            double[] angles = [.. Enumerable.Range(0, 121).Select(i => i * Math.PI / 60)];
            series.Add(new PlotFile.Series($"f = {level}", [.. angles.Select(a => Math.Sqrt(20 * level) * Math.Cos(a))], [.. angles.Select(a => Math.Sqrt(level) * Math.Sin(a))]));
        }

        foreach ((string name, double rate) in Optimizers)
        {
            (double[] xs, double[] ys) = Path(name, rate);
            context.Output.Line($"{name} (η = {rate}): {context.Labels.T("after 30 steps", "30ステップ後")} (x, y) = ({xs[^1]:F4}, {ys[^1]:F4}), f = {F(xs[^1], ys[^1]):E3}");
            series.Add(new PlotFile.Series($"{name} (η = {rate})", xs, ys, Dots: false));
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Paths from (−7, 2) towards the minimum (0, 0)", "(−7, 2) から最小値 (0, 0) への経路"), "x", "y", series);
        context.Output.Plot(plot, context.Labels.T("the contours of f and the four optimizers' paths", "f の等高線と4つの手法の経路"));
    }
}
