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

    /// <summary>
    /// Draws small grey images side by side — a convolution's filters, each scaled to its own range — in rows of
    /// <paramref name="columns"/>, one row of panels per entry of <paramref name="panels"/> (e.g. before and after training).
    /// </summary>
    public static string Tiles(string path, string title, IReadOnlyList<(string Label, double[][,] Images)> panels, int columns)
    {
        int height = panels[0].Images[0].GetLength(0), width = panels[0].Images[0].GetLength(1);
        int rowsPerPanel = (panels[0].Images.Length + columns - 1) / columns;
        int totalRows = panels.Count * ((rowsPerPanel * (height + 1)) + 1);
        var pixels = new double[totalRows, columns * (width + 1)];
        for (int r = 0; r < totalRows; r++)
        {
            for (int c = 0; c < pixels.GetLength(1); c++)
            {
                pixels[r, c] = double.NaN;
            }
        }

        for (int p = 0; p < panels.Count; p++)
        {
            for (int k = 0; k < panels[p].Images.Length; k++)
            {
                double[,] image = panels[p].Images[k];
                double min = image.Cast<double>().Min(), max = image.Cast<double>().Max(), span = Math.Max(max - min, 1e-12);
                int top = (p * ((rowsPerPanel * (height + 1)) + 1)) + ((k / columns) * (height + 1)), left = (k % columns) * (width + 1);
                for (int i = 0; i < height; i++)
                {
                    for (int j = 0; j < width; j++)
                    {
                        pixels[top + i, left + j] = (image[i, j] - min) / span;
                    }
                }
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(pixels);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.NaNCellColor = Colors.White;
        plot.Title(title + " — " + string.Join(" / ", panels.Select(panel => panel.Label)));
        plot.Axes.Frameless();
        plot.HideGrid();
        return Save(plot, path, 900, Math.Max(300, 60 + (totalRows * 12)));
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
