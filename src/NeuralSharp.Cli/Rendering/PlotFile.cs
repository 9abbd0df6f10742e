using NeuralSharp.Serialization;
using ScottPlot;

namespace NeuralSharp.Cli.Rendering;

/// <summary>Line and dot plots written as PNG (atomically) with ScottPlot.</summary>
internal static class PlotFile
{
    private static int _warnedFont;

    /// <summary>One series: a label, x and y values, and whether to draw dots instead of a line.</summary>
    public sealed record Series(string Label, double[] X, double[] Y, bool Dots = false);

    /// <summary>
    /// Draws the series on one plot and writes it to <paramref name="path"/>; returns the path. Whole-number x values
    /// (epochs, steps, layers) get whole-number ticks; <paramref name="logY"/> draws y on a log axis labelled in its own
    /// values (1, 0.1, 0.01 …); the legend sits outside the data, on the right.
    /// </summary>
    public static string Write(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false) =>
        Save(Build(title, xLabel, yLabel, series, logY), path, 900, 500);

    /// <summary>The plot <see cref="Write"/> draws.</summary>
    internal static Plot Build(string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false)
    {
        var plot = new Plot();
        bool wholeX = true;
        foreach (Series s in series)
        {
            wholeX &= s.X.All(x => x == Math.Floor(x));
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

        if (wholeX)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }

        if (logY)
        {
            // the data are log10 values; ticks at whole powers of ten, labelled as the values they stand for
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = PowerOfTen,
            };
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? $"{yLabel} (log)" : yLabel);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>The value a log10 tick stands for: 0.01, 1, 100 near 1, and 1e-6, 1e5 beyond.</summary>
    internal static string PowerOfTen(double power) => Math.Abs(power) <= 3
        ? Math.Pow(10, power).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
        : $"1e{Math.Round(power).ToString(System.Globalization.CultureInfo.InvariantCulture)}";

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
        HideAxes(plot);
        return Save(plot, path, 900, Math.Max(300, 60 + (totalRows * 12)));
    }

    /// <summary>No axes and no grid, but the title stays (ScottPlot's Frameless and HideAxesAndGrid hide it too).</summary>
    public static void HideAxes(Plot plot)
    {
        foreach (IAxis axis in (IAxis[])[plot.Axes.Bottom, plot.Axes.Left, plot.Axes.Top, plot.Axes.Right])
        {
            axis.IsVisible = false;
        }

        plot.HideGrid();
    }

    /// <summary>Renders <paramref name="plot"/> to PNG (or SVG, for a path ending in .svg) and writes it atomically.</summary>
    public static string Save(Plot plot, string path, int width, int height)
    {
        string?[] texts = [plot.Axes.Title.Label.Text, plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text,
            .. plot.GetPlottables().SelectMany(p => p.LegendItems).Select(item => item.LabelText),
            .. plot.GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(text => text.LabelText)];
        if (!PlotFonts.Apply(plot, texts) && Interlocked.Exchange(ref _warnedFont, 1) == 0)
        {
            Console.Error.WriteLine("Warning: no font with Japanese glyphs is installed, so the plots' Japanese text is drawn as boxes; scripts/install-fonts.sh installs Noto Sans CJK (fonts-noto-cjk).");
        }

        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            AtomicFile.WriteText(path, plot.GetSvgXml(width, height));
            return path;
        }

        AtomicFile.Write(path, plot.GetImageBytes(width, height, ImageFormat.Png));
        return path;
    }
}
