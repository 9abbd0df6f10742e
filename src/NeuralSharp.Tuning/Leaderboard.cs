using System.Globalization;
using System.Text.Json;

namespace NeuralSharp.Tuning;

/// <summary>One trial's line: its settings, every epoch's report, where halving stopped it, and why it failed if it did.</summary>
public sealed record LeaderboardEntry(TrialConfig Trial, IReadOnlyList<EpochReport> Reports, int? StoppedAtEpoch, string? Failure, string Silo)
{
    /// <summary>The metric of the trial's last epoch (NaN when it diverged).</summary>
    public double Metric => Reports.Count == 0 ? double.NaN : Reports[^1].Metric;

    /// <summary>Epochs trained.</summary>
    public int Epochs => Reports.Count;
}

/// <summary>A sweep's result: the trials best first — those that trained to the end by their final metric, then the
/// ones stopped early, later rungs first.</summary>
public sealed class Leaderboard
{
    /// <summary>Ranks the entries.</summary>
    public Leaderboard(SweepData data, IReadOnlyList<LeaderboardEntry> entries, int maxEpochs)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(entries);
        Data = data;
        MaxEpochs = maxEpochs;
        Entries = [.. entries.OrderByDescending(e => e.Epochs).ThenBy(e => SortKey(e.Metric, data.HigherIsBetter)).ThenBy(e => e.Trial.Index)];
    }

    /// <summary>The sweep's data and metric.</summary>
    public SweepData Data { get; }

    /// <summary>The longest training.</summary>
    public int MaxEpochs { get; }

    /// <summary>The trials, best first.</summary>
    public IReadOnlyList<LeaderboardEntry> Entries { get; }

    /// <summary>The best trial.</summary>
    public LeaderboardEntry Best => Entries[0];

    /// <summary>How many trials halving stopped before the last rung.</summary>
    public int StoppedEarly => Entries.Count(e => e.StoppedAtEpoch is not null);

    /// <summary>An ascending sort key: better metrics first, NaN (diverged, or nothing yet) last.</summary>
    public static double SortKey(double? metric, bool higherIsBetter) =>
        metric is not { } m || double.IsNaN(m) ? double.PositiveInfinity : higherIsBetter ? -m : m;

    /// <summary>The leaderboard as JSON: the metric, and per trial its rank, settings, final metric, epochs, stop and curve.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["metric"] = Data.Metric,
        ["data"] = Data.Source,
        ["max_epochs"] = MaxEpochs,
        ["trials"] = Entries.Select((e, rank) => new Dictionary<string, object?>
        {
            ["rank"] = rank + 1,
            ["trial"] = e.Trial.Index,
            ["lr"] = e.Trial.LearningRate,
            ["layers"] = e.Trial.Layers,
            ["optimizer"] = e.Trial.Optimizer,
            ["batch"] = e.Trial.Batch,
            ["activation"] = e.Trial.Activation,
            ["init"] = e.Trial.Init,
            ["l2"] = e.Trial.L2,
            ["seed"] = e.Trial.Seed,
            ["metric"] = double.IsFinite(e.Metric) ? e.Metric : null,
            ["epochs"] = e.Epochs,
            ["stopped_at_epoch"] = e.StoppedAtEpoch,
            ["failure"] = e.Failure,
            ["curve"] = e.Reports.Select(r => double.IsFinite(r.Metric) ? r.Metric : (double?)null).ToArray(),
            // the run this trial was, for train --config (its epochs those it trained)
            ["config"] = System.Text.Json.Nodes.JsonNode.Parse(e.Trial.ToRunConfig(Data, Math.Max(e.Epochs, 1)).ToJson()),
        }).ToArray(),
    }, Indented);

    /// <summary>The best trial's run as <c>train --config</c> takes it (<c>best.config.json</c>): it repeats the trial bit for bit.</summary>
    public string BestConfigJson() => Best.Trial.ToRunConfig(Data, Math.Max(Best.Epochs, 1)).ToJson();

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>What the leaderboard must show the same whatever ran it: every trial's rank, epochs and metrics, bit for bit.</summary>
    public string Fingerprint() => string.Join('\n', Entries.Select(e => string.Create(CultureInfo.InvariantCulture,
        $"{e.Trial.Index} {e.Epochs} {e.StoppedAtEpoch} {string.Join(',', e.Reports.Select(r => r.Metric.ToString("R", CultureInfo.InvariantCulture)))}")));
}
