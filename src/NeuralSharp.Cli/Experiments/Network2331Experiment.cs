using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using ScottPlot;

namespace NeuralSharp.Cli.Experiments;

/// <summary>The report's confirmation test: forward propagation through 2-3-3-1, with a drawing of the network.</summary>
internal sealed class Network2331Experiment : IExperiment
{
    public string Name => "network-2-3-3-1";

    public string Title(Labels labels) => labels.T("Confirmation test: a 2-3-3-1 network", "確認テスト：2-3-3-1 のネットワーク");

    public string Question(Labels labels) => labels.T(
        "Build a network with 2 inputs, two hidden layers of 3 and one output: W1 is 2×3, W2 is 3×3, W3 is 3×1, and the same two lines, u = zW + b and z = f(u), compute every layer.",
        "入力2・中間層3と3・出力1のネットワークを作る。W1 は 2×3、W2 は 3×3、W3 は 3×1。どの層も u = zW + b、z = f(u) の同じ2行で計算できる。");

    public void Run(ExperimentContext context)
    {
        Sequential<double> net = Commands.TraceCommand.Literal2331(ActivationKind.Relu);
        Trace<double> trace = Trace<double>.Record(net, NDArray.Row(1.0, 2.0), NDArray.Row(1.0), new SquaredError<double>());
        foreach (TraceEntry<double> entry in trace.Where(e => e.Phase == TracePhase.Forward))
        {
            context.PrintVec(context.Labels.Of(entry), entry.Value);
        }

        string path = Draw(net, context.PlotPath(Name), context.Labels);
        context.Output.Plot(path, "2-3-3-1");
    }

    /// <summary>Draws units as circles in columns and every weight as a line: blue positive, red negative, width by size.</summary>
    internal static string Draw(Sequential<double> net, string path, Labels labels)
    {
        var plot = new Plot();
        Dense<double>[] layers = [.. net.Layers.OfType<Dense<double>>()];
        int[] widths = [layers[0].Inputs, .. layers.Select(d => d.Outputs)];
        for (int k = 0; k < layers.Length; k++)
        {
            for (int i = 0; i < layers[k].Inputs; i++)
            {
                for (int j = 0; j < layers[k].Outputs; j++)
                {
                    double w = layers[k].Weights.Value[i, j];
                    var line = plot.Add.Line(k, UnitY(widths, k, i), k + 1, UnitY(widths, k + 1, j));
                    line.LineColor = w >= 0 ? Colors.SteelBlue : Colors.Crimson;
                    line.LineWidth = (float)(1 + (6 * Math.Min(Math.Abs(w), 1)));
                    (double x, double y) = WeightLabelAt(widths, k, i, j);
                    var text = plot.Add.Text($"{w:G2}", x, y);
                    text.LabelFontSize = 10;
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
                }
            }
        }

        // an ellipse in axis units that is a circle in pixels (x and y units differ in size)
        double perX = DiagramWidth / (double)widths.Length, perY = (DiagramHeight - 50) / 4.0;
        for (int k = 0; k < widths.Length; k++)
        {
            for (int u = 0; u < widths[k]; u++)
            {
                var circle = plot.Add.Ellipse(k, UnitY(widths, k, u), 0.12, 0.12 * perX / perY);
                circle.FillColor = Colors.White;
                circle.LineColor = Colors.Black;
                var name = plot.Add.Text(k == 0 ? $"x{u + 1}" : k == widths.Length - 1 ? "y" : $"z{k}_{u + 1}", k, UnitY(widths, k, u));
                name.LabelFontSize = 11;
                name.LabelAlignment = Alignment.MiddleCenter;
            }
        }

        plot.Title(labels.T($"Network {string.Join("-", widths)} (blue: w > 0, red: w < 0, width: |w|)",
            $"ネットワーク {string.Join("-", widths)}（青: w > 0、赤: w < 0、太さ: |w|）"));
        PlotFile.HideAxes(plot);
        plot.Axes.SetLimits(-0.5, widths.Length - 0.5, -2, 2);
        return PlotFile.Save(plot, path, DiagramWidth, DiagramHeight);
    }

    /// <summary>The diagram's size in pixels; its axes run over x in [−0.5, layers − 0.5] and y in [−2, 2].</summary>
    internal const int DiagramWidth = 1000, DiagramHeight = 560;

    /// <summary>The height of unit <paramref name="unit"/> in layer <paramref name="layer"/>: a column centred on 0.</summary>
    internal static double UnitY(int[] widths, int layer, int unit) => ((widths[layer] - 1) / 2.0) - unit;

    /// <summary>
    /// Where the label of weight (i → j) between layers k and k + 1 sits: on its line, at a fraction along it that
    /// grows with j. Labels of one target share a column and are apart by their sources' spacing; columns of
    /// different targets are apart by a label's width, so no two labels overlap.
    /// </summary>
    internal static (double X, double Y) WeightLabelAt(int[] widths, int k, int i, int j)
    {
        int targets = widths[k + 1];
        double t = 0.2 + (0.6 * (j + 0.5) / targets);
        return (k + t, UnitY(widths, k, i) + (t * (UnitY(widths, k + 1, j) - UnitY(widths, k, i))));
    }
}
