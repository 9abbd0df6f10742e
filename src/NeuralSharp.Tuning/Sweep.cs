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
    /// <summary>How often a call is tried again after a silo failed under it.</summary>
    public const int Attempts = 8;

    /// <summary>Runs the sweep and returns its leaderboard.</summary>
    public static async Task<Leaderboard> RunAsync(IGrainFactory grains, SweepData data, IReadOnlyList<TrialConfig> trials, SweepSchedule schedule,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(schedule);
        var outcomes = new Dictionary<int, TrialOutcome>();
        var stoppedAt = new Dictionary<int, int>();
        List<TrialConfig> alive = [.. trials];
        IReadOnlyList<int> rungs = schedule.Rungs();
        for (int r = 0; r < rungs.Count && alive.Count > 0; r++)
        {
            int epochs = rungs[r];
            TrialOutcome[] results = await Task.WhenAll(alive.Select((trial, slot) =>
                TrainAsync(grains, data, trial, outcomes.TryGetValue(trial.Index, out TrialOutcome? before) ? before.Reports.Count : 0, epochs, slot, cancellationToken))).ConfigureAwait(false);
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

    private static double? Last(IReadOnlyList<EpochReport> reports) => reports.Count == 0 ? null : reports[^1].Metric;

    /// <summary>
    /// Trains a trial from <paramref name="done"/> to <paramref name="epochs"/> epochs, one call per epoch: between
    /// calls the grain is idle and deactivates, so each epoch is placed afresh — over the silos there are now, a
    /// joining one included.
    /// </summary>
    private static async Task<TrialOutcome> TrainAsync(IGrainFactory grains, SweepData data, TrialConfig trial, int done, int epochs, int slot, CancellationToken cancellationToken)
    {
        ITrialGrain grain = grains.GetGrain<ITrialGrain>($"{data.SweepId}/{trial.Index}");
        TrialOutcome? outcome = null;
        for (int until = Math.Min(done + 1, epochs); outcome is null || (until <= epochs && outcome.Failure is null); until++)
        {
            outcome = await CallAsync(grain, data, trial, until, slot, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    private static async Task<TrialOutcome> CallAsync(ITrialGrain grain, SweepData data, TrialConfig trial, int until, int slot, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                RequestContext.Set(TrialPlacementStrategy.SlotKey, slot);
                return await grain.TrainAsync(data, trial, until).ConfigureAwait(false);
            }
            catch (Exception error) when (attempt < Attempts && error is not OperationCanceledException)
            {
                // a silo went away under the call (killed, stopped, unreachable): the trial resumes from its checkpoint
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RequestContext.Remove(TrialPlacementStrategy.SlotKey);
            }
        }
    }
}
