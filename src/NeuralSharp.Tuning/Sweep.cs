using System.Globalization;
using Orleans.Runtime;

namespace NeuralSharp.Tuning;

/// <summary>
/// How long trials train: up to <see cref="MaxEpochs"/>, and with successive halving, rungs at r, r·η, r·η² … epochs
/// where only the best 1/η of the trials that reached a rung go on.
/// </summary>
public sealed record SweepSchedule(int MaxEpochs, bool Halving, int MinEpochs = 1, int Reduction = 3)
{
    /// <summary>The epochs at which trials are compared, the last being <see cref="MaxEpochs"/>.</summary>
    public IReadOnlyList<int> Rungs()
    {
        var rungs = new List<int>();
        for (int r = Math.Max(MinEpochs, 1); Halving && r < MaxEpochs; r *= Math.Max(Reduction, 2))
        {
            rungs.Add(r);
        }

        rungs.Add(MaxEpochs);
        return rungs;
    }
}

/// <summary>
/// Runs a sweep on whatever silos the cluster has: every rung's trials as concurrent grain calls, each numbered for
/// placement, retried when a silo goes away (the trial resumes from its checkpoint elsewhere).
/// </summary>
/// <remarks>
/// ASHA promotes a trial as soon as it is in the top 1/η of those that reached its rung so far, which makes the result
/// depend on which silo was faster. Here a rung is decided once all its trials have reported — the same halving, with
/// a leaderboard that depends only on the trials' configurations and seeds, whatever the number of silos.
/// </remarks>
public static class Sweep
{
    /// <summary>How often a trial's calls may fail in a sweep's rung (its silo gone) before the sweep gives up.</summary>
    public const int Attempts = 20;

    /// <summary>How long a call that failed (its silo gone) waits before it is made again.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(0.5);

    /// <summary>Runs the sweep and returns its leaderboard.</summary>
    public static async Task<Leaderboard> RunAsync(IGrainFactory grains, SweepData data, IReadOnlyList<TrialConfig> trials, SweepSchedule schedule,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(schedule);
        var outcomes = new Dictionary<int, TrialOutcome>();
        var stoppedAt = new Dictionary<int, int>();
        // the silo each trial's activation lives on, kept across rungs: a trial sent elsewhere must leave it first
        var home = new Dictionary<int, string>();
        List<TrialConfig> alive = [.. trials];
        IReadOnlyList<int> rungs = schedule.Rungs();
        for (int r = 0; r < rungs.Count && alive.Count > 0; r++)
        {
            int epochs = rungs[r];
            TrialOutcome[] results = await RunRungAsync(grains, data, alive, epochs, home, progress, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < alive.Count; i++)
            {
                outcomes[alive[i].Index] = results[i];
            }

            if (r == rungs.Count - 1)
            {
                break;
            }

            // the best 1/η of this rung go on, by the metric at the rung's epoch (ties by trial number)
            int keep = Math.Max(1, (int)Math.Ceiling(alive.Count / (double)schedule.Reduction));
            List<TrialConfig> ranked = [.. alive.OrderBy(t => Leaderboard.SortKey(Last(outcomes[t.Index].Reports), data.HigherIsBetter)).ThenBy(t => t.Index)];
            foreach (TrialConfig stopped in ranked.Skip(keep))
            {
                stoppedAt[stopped.Index] = epochs;
            }

            foreach (TrialConfig failed in ranked.Take(keep).Where(t => outcomes[t.Index].Failure is not null))
            {
                stoppedAt[failed.Index] = outcomes[failed.Index].Reports.Count;
            }

            alive = [.. ranked.Take(keep).Where(t => outcomes[t.Index].Failure is null).OrderBy(t => t.Index)];
            progress?.Report($"rung {r + 1} ({epochs} epoch{(epochs == 1 ? "" : "s")}): {alive.Count} of {ranked.Count} trials go on");
        }

        return new Leaderboard(data, [.. trials.Select(t => new LeaderboardEntry(t, outcomes[t.Index].Reports, stoppedAt.TryGetValue(t.Index, out int at) ? at : null,
            outcomes[t.Index].Failure, outcomes[t.Index].Silo))], schedule.MaxEpochs);
    }

    /// <summary>
    /// The trained model of <paramref name="trial"/> as a model file, from its checkpoint; asked again while the silo
    /// its activation lived on is gone but not yet declared dead (the next call activates it on a live one).
    /// </summary>
    public static async Task<byte[]> ModelAsync(IGrainFactory grains, SweepData data, TrialConfig trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trial);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await grains.GetGrain<ITrialGrain>($"{data.SweepId}/{trial.Index}").ModelAsync(data, trial).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException && attempt < Attempts)
            {
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static double? Last(IReadOnlyList<EpochReport> reports) => reports.Count == 0 ? null : reports[^1].Metric;

    /// <summary>How long one call trains before its slot goes to the next trial waiting.</summary>
    public static TimeSpan CallBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Trains every trial of a rung to <paramref name="epochs"/> as a work queue over the silos: a call goes to a silo
    /// with a free slot, trains for about <see cref="CallBudget"/>, and the trial waits for the next free slot anywhere —
    /// so a fast silo takes more, a joining one takes work at once, and a failed call (its silo gone) is queued again
    /// and resumes from the trial's checkpoint. The costliest trials start first.
    /// </summary>
    private static async Task<TrialOutcome[]> RunRungAsync(IGrainFactory grains, SweepData data, List<TrialConfig> trials, int epochs,
        Dictionary<int, string> home, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        List<TrialConfig> pending = [.. trials.OrderByDescending(t => Cost(t, data)).ThenBy(t => t.Index)];
        var outcomes = new Dictionary<int, TrialOutcome>();
        var failures = new Dictionary<int, int>();
        var running = new Dictionary<Task<TrialOutcome>, (TrialConfig Trial, string Silo)>();
        var busy = new Dictionary<string, int>();
        var capacity = new Silos(grains);
        while (pending.Count > 0 || running.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach ((string silo, int slots) in await capacity.FreeAsync(busy).ConfigureAwait(false))
            {
                for (int s = 0; s < slots && pending.Count > 0; s++)
                {
                    // a trial whose activation lives on this silo first (its network is in memory there), else the next
                    // one waiting, which leaves its old silo first
                    int pick = pending.FindIndex(t => home.TryGetValue(t.Index, out string? at) && at == silo);
                    TrialConfig trial = pending[Math.Max(pick, 0)];
                    pending.RemoveAt(Math.Max(pick, 0));
                    bool moves = home.TryGetValue(trial.Index, out string? from) && from != silo;
                    busy[silo] = busy.GetValueOrDefault(silo) + 1;
                    running[CallAsync(grains, data, trial, epochs, silo, moves)] = (trial, silo);
                }
            }

            if (running.Count == 0)
            {
                // no silo has a free slot it has told us of (all gone, or not joined yet): look again shortly
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
                continue;
            }

            Task<TrialOutcome> finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            (TrialConfig done, string on) = running[finished];
            running.Remove(finished);
            busy[on]--;
            try
            {
                TrialOutcome outcome = await finished.ConfigureAwait(false);
                home[done.Index] = outcome.Silo;
                if (outcome.Reports.Count < epochs && outcome.Failure is null)
                {
                    pending.Add(done);
                }
                else
                {
                    outcomes[done.Index] = outcome;
                    // in the order the trials finish (the leaderboard's order does not depend on it)
                    progress?.Report(outcome.Failure is not null ? $"trial {done.Index} diverged at epoch {outcome.Reports.Count} ({outcomes.Count} of {trials.Count} done)"
                        : string.Create(CultureInfo.InvariantCulture, $"trial {done.Index}: {data.Metric} {outcome.Reports[^1].Metric:F4} after {outcome.Reports.Count} epoch{(outcome.Reports.Count == 1 ? "" : "s")} ({outcomes.Count} of {trials.Count} done)"));
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // the silo went away under the call: forget it until it is listed again, and train the trial elsewhere
                capacity.Forget(on);
                home.Remove(done.Index);
                failures[done.Index] = failures.GetValueOrDefault(done.Index) + 1;
                if (failures[done.Index] >= Attempts)
                {
                    // one message the command prints as it is: no silo could train this trial (gone, or its data unreadable there)
                    throw new IOException($"trial {done.Index} failed {Attempts} times on the cluster's silos; the last error: {error.Message}", error);
                }

                pending.Add(done);
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. trials.Select(t => outcomes[t.Index])];
    }

    /// <summary>About what an epoch of a trial costs: its weights times 1 + 8 / batch (the updates of small batches).</summary>
    private static double Cost(TrialConfig trial, SweepData data)
    {
        Data.PreparedData<float> prepared = TrialData.For(data);
        int[] widths = [prepared.FeatureNames.Count, .. trial.Layers, prepared.Head.OutputWidth];
        return widths.Zip(widths.Skip(1), (a, b) => (double)(a + 1) * b).Sum() * (1 + (8.0 / Math.Max(trial.Batch, 1)));
    }

    private static async Task<TrialOutcome> CallAsync(IGrainFactory grains, SweepData data, TrialConfig trial, int epochs, string silo, bool moves)
    {
        ITrialGrain grain = grains.GetGrain<ITrialGrain>($"{data.SweepId}/{trial.Index}");
        if (moves)
        {
            // the activation elsewhere goes first; the call below is then placed on this silo
            await grain.LeaveAsync().ConfigureAwait(false);
        }

        return await TrialPlacementStrategy.OnSiloAsync(silo, () => grain.TrainAsync(data, trial, epochs, CallBudget)).ConfigureAwait(false);
    }

    /// <summary>The silos of the cluster and their slots, looked up at most once a second (a joining silo is seen within it).</summary>
    private sealed class Silos(IGrainFactory grains)
    {
        private readonly Dictionary<string, int> _slots = [];
        private readonly Dictionary<string, DateTime> _forgotten = [];
        private DateTime _lookedAt = DateTime.MinValue;

        public void Forget(string silo)
        {
            // a silo that failed a call is left out for a while: the cluster may list it until it is declared dead
            _slots.Remove(silo);
            _forgotten[silo] = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        }

        private async Task<(string Silo, int? Slots)> CountAsync(string silo)
        {
            try
            {
                return (silo, await TrialPlacementStrategy.OnSiloAsync(silo, () => grains.GetGrain<ISlotsGrain>(silo).CountAsync()).ConfigureAwait(false));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // not ready, or gone already: asked again at the next look
                return (silo, null);
            }
        }

        public async Task<List<(string Silo, int Free)>> FreeAsync(Dictionary<string, int> busy)
        {
            if (DateTime.UtcNow - _lookedAt > TimeSpan.FromSeconds(1))
            {
                _lookedAt = DateTime.UtcNow;
                Dictionary<SiloAddress, SiloStatus> hosts;
                try
                {
                    hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // the management grain lived on a silo that has just died: the silos known so far, asked again shortly
                    return Free(busy);
                }

                // every new silo asked at once (the first look of a sweep asks them all)
                string[] fresh = [.. hosts.Keys.Select(h => h.ToString()).Where(h => !_slots.ContainsKey(h) && !(_forgotten.TryGetValue(h, out DateTime until) && until > DateTime.UtcNow))];
                foreach ((string silo, int? slots) in await Task.WhenAll(fresh.Select(CountAsync)).ConfigureAwait(false))
                {
                    if (slots is { } count)
                    {
                        _slots[silo] = count;
                    }
                }

                foreach (string gone in _slots.Keys.Where(s => !hosts.Keys.Any(h => h.ToString() == s)).ToList())
                {
                    _slots.Remove(gone);
                }
            }

            return Free(busy);
        }

        private List<(string Silo, int Free)> Free(Dictionary<string, int> busy) =>
            [.. _slots.Select(p => (p.Key, p.Value - busy.GetValueOrDefault(p.Key))).Where(p => p.Item2 > 0).OrderBy(p => p.Key, StringComparer.Ordinal)];
    }
}
