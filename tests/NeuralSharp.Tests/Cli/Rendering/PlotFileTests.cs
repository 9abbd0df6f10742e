using NeuralSharp.Cli.Experiments;
using NeuralSharp.Cli.Rendering;
using ScottPlot;
using SkiaSharp;

namespace NeuralSharp.Tests.Cli.Rendering;

/// <summary>What the plots look like: Japanese that is drawn (not boxes), whole-number ticks, a log axis, labels apart.</summary>
public sealed class PlotFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-plots-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly PlotFile.Series[] Loss = [new("train", [1, 2, 3, 4], [1, 0.1, 0.01, 0.001])];

    /// <summary>The title band of a plot with <paramref name="title"/>, as pixels.</summary>
    private byte[] TitlePixels(string title)
    {
        string path = PlotFile.Write(Path.Combine(_folder, $"{Guid.NewGuid():N}.png"), title, "x", "y", Loss);
        using SKBitmap bitmap = SKBitmap.Decode(path);
        using var band = new SKBitmap(bitmap.Width, 40);
        Assert.True(bitmap.ExtractSubset(band, new SKRectI(0, 0, bitmap.Width, 40)));
        return band.Copy().Bytes;
    }

    [Fact]
    public void Japanese_titles_are_drawn_with_a_CJK_font_not_as_boxes()
    {
        // scripts/install-fonts.sh (run by test.sh) installs Noto Sans CJK; the plots must find it by themselves
        Assert.True(PlotFonts.HasJapanese, "No CJK font found: run scripts/install-fonts.sh.");
        byte[] a = TitlePixels("訓練データの誤差"), b = TitlePixels("テスト正解率の推移"), blank = TitlePixels("");
        // missing glyphs draw the same box for every character: two different strings would give equal rows of boxes
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, blank);
        // the same characters in another order are drawn differently too (boxes would not be)
        Assert.NotEqual(TitlePixels("誤差訓練"), TitlePixels("練訓差誤"));
    }

    [Fact]
    public void A_plot_with_Japanese_uses_the_CJK_face_and_one_without_a_sans_face()
    {
        Plot japanese = PlotFile.Build("誤差", "ステップ", "誤差", Loss);
        Assert.True(PlotFonts.Apply(japanese, ["誤差"]));
        Assert.Contains("CJK", japanese.Axes.Title.Label.FontName, StringComparison.Ordinal);
        Plot english = PlotFile.Build("Loss", "step", "loss", Loss);
        PlotFonts.Apply(english, ["Loss"]);
        Assert.Contains("Sans", english.Axes.Title.Label.FontName, StringComparison.Ordinal);
        Assert.DoesNotContain("Serif", english.Axes.Title.Label.FontName, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_get_whole_number_ticks_and_loss_a_log_axis_labelled_in_its_values()
    {
        Plot plot = PlotFile.Build("Loss", "step", "loss", Loss, logY: true);
        var bottom = Assert.IsType<ScottPlot.TickGenerators.NumericAutomatic>(plot.Axes.Bottom.TickGenerator);
        Assert.True(bottom.IntegerTicksOnly);
        var left = Assert.IsType<ScottPlot.TickGenerators.NumericAutomatic>(plot.Axes.Left.TickGenerator);
        Assert.Equal("0.01", left.LabelFormatter(-2));
        Assert.Equal("100", left.LabelFormatter(2));
        Assert.Equal("1e-6", left.LabelFormatter(-6));
        Assert.Equal("1e5", left.LabelFormatter(5));
        Assert.IsType<ScottPlot.TickGenerators.LogMinorTickGenerator>(left.MinorTickGenerator);
        Assert.Equal("loss (log)", plot.Axes.Left.Label.Text);
        // fractional x keeps ScottPlot's own ticks
        Plot paths = PlotFile.Build("Paths", "x", "y", [new PlotFile.Series("p", [0.5, 1.5], [1, 2])]);
        Assert.False(paths.Axes.Bottom.TickGenerator is ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly: true });
    }

    [Fact]
    public void The_legend_sits_outside_the_data()
    {
        Plot plot = PlotFile.Build("Loss", "step", "loss", Loss);
        Assert.Contains(plot.Axes.GetPanels(), panel => panel is ScottPlot.Panels.LegendPanel);
        Assert.False(plot.Legend.IsVisible); // not drawn a second time over the data
    }

    [Fact]
    public void Weight_labels_of_the_network_diagram_do_not_overlap_each_other_or_the_units()
    {
        int[][] networks = [[2, 3, 3, 1], [2, 3, 2], [4, 5, 3], [3, 1]];
        foreach (int[] widths in networks)
        {
            // pixels per unit of the diagram's axes, less a title band; a label "−0.12" at 10 pt is under 36×16 px
            double perX = Network2331Experiment.DiagramWidth / (double)widths.Length;
            double perY = (Network2331Experiment.DiagramHeight - 50) / 4.0;
            const double labelWidth = 36, labelHeight = 16, unitRadius = 0.12;
            var boxes = new List<(double X, double Y)>();
            for (int k = 0; k + 1 < widths.Length; k++)
            {
                for (int i = 0; i < widths[k]; i++)
                {
                    for (int j = 0; j < widths[k + 1]; j++)
                    {
                        (double x, double y) = Network2331Experiment.WeightLabelAt(widths, k, i, j);
                        boxes.Add((x * perX, y * perY));
                        double nearestUnitX = Math.Min(x - k, k + 1 - x) * perX;
                        Assert.True(nearestUnitX > (unitRadius * perX) + (labelWidth / 2), $"{string.Join("-", widths)}: label {k}:{i}→{j} touches a unit");
                    }
                }
            }

            for (int a = 0; a < boxes.Count; a++)
            {
                for (int b = a + 1; b < boxes.Count; b++)
                {
                    bool apart = Math.Abs(boxes[a].X - boxes[b].X) >= labelWidth || Math.Abs(boxes[a].Y - boxes[b].Y) >= labelHeight;
                    Assert.True(apart, $"{string.Join("-", widths)}: labels {a} and {b} overlap at {boxes[a]} and {boxes[b]}");
                }
            }
        }
    }
}
