using System.Globalization;
using System.Net;
using System.Text;

namespace NeuralSharp.Tuning;

/// <summary>
/// The leaderboard as one self-contained HTML page: the table, and every trial's metric per epoch drawn as a line
/// (SVG, no scripts) — the best in bold, those halving stopped dashed and ending in ×, at the epoch they stopped.
/// </summary>
public static class LeaderboardPage
{
    private const int Width = 760, Height = 360, Left = 56, Bottom = 36, Top = 16, Right = 16;

    /// <summary>The page's HTML.</summary>
    public static string Render(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        double[] all = [.. board.Entries.SelectMany(e => e.Reports).Select(r => r.Metric).Where(double.IsFinite)];
        double low = all.Length == 0 ? 0 : all.Min(), high = all.Length == 0 ? 1 : all.Max();
        if (high - low < 1e-9)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }

        double X(int epoch) => Left + ((epoch - 1) / (double)Math.Max(board.MaxEpochs - 1, 1) * (Width - Left - Right));
        double Y(double metric) => Height - Bottom - ((metric - low) / (high - low) * (Height - Bottom - Top));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Escape(board.Data.Metric)} per epoch of every trial\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top + 4}\" text-anchor=\"end\" font-size=\"11\">{high:G3}</text><text x=\"{Left - 6}\" y=\"{Height - Bottom}\" text-anchor=\"end\" font-size=\"11\">{low:G3}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 12}\" font-size=\"11\">epoch 1</text><text x=\"{Width - Right}\" y=\"{Height - 12}\" text-anchor=\"end\" font-size=\"11\">epoch {board.MaxEpochs}</text>");
        for (int rank = board.Entries.Count - 1; rank >= 0; rank--)
        {
            LeaderboardEntry entry = board.Entries[rank];
            string points = string.Join(' ', entry.Reports.Where(r => double.IsFinite(r.Metric)).Select(r => string.Create(CultureInfo.InvariantCulture, $"{X(r.Epoch):F1},{Y(r.Metric):F1}")));
            string colour = rank == 0 ? "#0877bd" : entry.StoppedAtEpoch is null ? "#2ca02c" : "#999";
            string dash = entry.StoppedAtEpoch is null ? "" : " stroke-dasharray=\"4 3\"";
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"trial{(entry.StoppedAtEpoch is null ? "" : " stopped")}\" data-trial=\"{entry.Trial.Index}\" points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{(rank == 0 ? 3 : 1.5)}\"{dash}><title>trial {entry.Trial.Index}: {Escape(entry.Trial.Describe())}</title></polyline>");
            if (entry.StoppedAtEpoch is not null && entry.Reports.LastOrDefault(r => double.IsFinite(r.Metric)) is { } last)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"stop\" x=\"{X(last.Epoch):F1}\" y=\"{Y(last.Metric) + 4:F1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#c00\">×</text>");
            }
        }

        svg.Append("</svg>");
        var rows = new StringBuilder();
        for (int rank = 0; rank < board.Entries.Count; rank++)
        {
            LeaderboardEntry e = board.Entries[rank];
            string state = e.Failure is not null ? "diverged" : e.StoppedAtEpoch is { } at ? $"stopped at epoch {at}" : "trained to the end";
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{rank + 1}</td><td>{e.Trial.Index}</td><td>{Escape(e.Trial.Describe())}</td><td>{(double.IsFinite(e.Metric) ? e.Metric.ToString("F4", CultureInfo.InvariantCulture) : "–")}</td><td>{e.Epochs}</td><td>{state}</td></tr>");
        }

        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>NeuralSharp sweep: {Escape(board.Data.Source)}</title>
            <style>body{"{"}font-family:system-ui,sans-serif;margin:2rem;color:#222{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left{"}"}</style></head>
            <body><h1>Sweep on {Escape(board.Data.Source)}: {board.Entries.Count} trials by {Escape(board.Data.Metric)}</h1>
            <p>Best: trial {board.Best.Trial.Index} ({Escape(board.Best.Trial.Describe())}), {Escape(board.Data.Metric)} {board.Best.Metric.ToString("F4", CultureInfo.InvariantCulture)}. {board.StoppedEarly} trials were stopped early by successive halving (dashed, ending in ×).</p>
            {svg}
            <table><tr><th>rank</th><th>trial</th><th>settings</th><th>{Escape(board.Data.Metric)}</th><th>epochs</th><th></th></tr>{rows}</table>
            </body></html>
            """;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
