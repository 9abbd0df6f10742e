using NeuralSharp.Serialization;
using ScottPlot;

namespace NeuralSharp.Cli.Rendering;

/// <summary>Line and dot plots written as PNG (atomically) with ScottPlot.</summary>
internal static class PlotFile
{
    /// <summary>One series: a label, x and y values, and whether to draw dots instead of a line.</summary>
    public sealed record Series(string Label, double[] X, double[] Y, bool Dots = false);

    /// <summary>Draws the series on one plot and writes it to <paramref name="path"/>; returns the path.</summary>
    public static string Write(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false)
    {
        var plot = new Plot();
        foreach (Series s in series)
        {
            double[] y = logY ? [.. s.Y.Select(v => Math.Log10(Math.Max(v, 1e-12)))] : s.Y;
            if (s.Dots)
            {
                var points = plot.Add.ScatterPoints(s.X, y);
                points.MarkerSize = 3;
                points.LegendText = s.Label;
            }
            else
            {
                var line = plot.Add.Scatter(s.X, y);
                line.MarkerSize = 0;
                line.LineWidth = 2;
                line.LegendText = s.Label;
            }
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? $"log10({yLabel})" : yLabel);
        plot.ShowLegend();
        return Save(plot, path, 800, 500);
    }

    /// <summary>Renders <paramref name="plot"/> to PNG (or SVG, for a path ending in .svg) and writes it atomically.</summary>
    public static string Save(Plot plot, string path, int width, int height)
    {
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            AtomicFile.WriteText(path, plot.GetSvgXml(width, height));
            return path;
        }

        AtomicFile.Write(path, plot.GetImageBytes(width, height, ImageFormat.Png));
        return path;
    }
}
