using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;
using NeuralSharp.Serialization;
using NeuralSharp.Training;
using Orleans.Runtime;

namespace NeuralSharp.Tuning;

/// <summary>
/// A trial as an Orleans grain: builds its network from its configuration and seed, trains an epoch at a time on a
/// slot of its silo, and persists a checkpoint after every epoch (so a trial whose silo dies resumes elsewhere from its
/// last finished epoch, bit for bit). Its result depends only on its configuration, seed and data.
/// </summary>
[TrialPlacement]
public sealed class TrialGrain([PersistentState("trial", TrialGrain.Storage)] IPersistentState<TrialCheckpoint> checkpoint, TrialSlots slots, ILocalSiloDetails silo)
    : Grain, ITrialGrain
{
    /// <summary>The grain storage the checkpoints live in.</summary>
    public const string Storage = "checkpoints";

    /// <summary>The network and optimizer of this activation, at the checkpoint's epoch (rebuilt only on activation).</summary>
    private (Sequential<float> Network, Optimizer<float> Optimizer, int Epoch)? _live;

    /// <inheritdoc />
    public async Task<TrialOutcome> TrainAsync(SweepData data, TrialConfig config, int untilEpoch, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        TrialCheckpoint state = checkpoint.State;
        // the budget runs from the first epoch's start, not from the wait for a slot behind other trials
        var clock = new System.Diagnostics.Stopwatch();
        while (state.Epoch < untilEpoch && state.Failure is null && clock.Elapsed < budget)
        {
            using (await slots.TakeAsync().ConfigureAwait(true))
            {
                clock.Start();
                // the epoch runs on the thread pool: a grain's turn must not hold the silo's scheduler for seconds
                TrialCheckpoint before = state;
                (TrialCheckpoint after, Sequential<float> network, Optimizer<float> optimizer) = await Task.Run(() => Epoch(TrialData.For(data), data, config, before, _live)).ConfigureAwait(true);
                (state, _live) = (after, (network, optimizer, after.Epoch));
            }

            checkpoint.State = state;
            await checkpoint.WriteStateAsync().ConfigureAwait(true);
        }

        // the activation stays, its network live: the sweep sends the trial back here while this silo has slots for it,
        // and asks it to leave (LeaveAsync) before it moves elsewhere
        return new TrialOutcome([.. state.Reports], silo.SiloAddress.ToString(), state.Failure);
    }

    /// <inheritdoc />
    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<byte[]> ModelAsync(SweepData data, TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        PreparedData<float> prepared = TrialData.For(data);
        (Sequential<float> network, _) = Restore(prepared, data, config, checkpoint.State);
        var model = new Model<float>(network, prepared.Task, prepared.FeatureNames, prepared.ClassNames, prepared.TargetName, prepared.Features, prepared.TargetScale)
        {
            Head = prepared.Head,
            Configuration = config.ToRunConfig(data, Math.Max(checkpoint.State.Epoch, 1)).ToJson(),
            Encoding = prepared.Encoding,
        };
        return Task.FromResult(ModelFile.Serialize(model));
    }

    /// <summary>The most kinds of trial <see cref="WarmUp"/> trains.</summary>
    public const int WarmUpKinds = 12;

    /// <summary>
    /// Compiles what the trials of a sweep run — their networks' passes, their optimizers, the checkpoint — by training
    /// each kind among <paramref name="trials"/> for an epoch of two batches; nothing is kept. <c>tune</c> runs it on a
    /// second core while its silo starts, so that the first epochs do not wait for the JIT.
    /// </summary>
    /// <returns>The number of trials trained.</returns>
    public static int WarmUp(SweepData data, IEnumerable<TrialConfig> trials)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trials);
        PreparedData<float> prepared = TrialData.For(data);
        // the code differs by optimizer, activation, depth and batch, not by width: one of each kind, the narrowest, and at
        // most a dozen kinds (a grid over many settings would otherwise build as many networks before the sweep)
        TrialConfig[] kinds = [.. trials.OrderBy(t => t.Layers.Sum()).DistinctBy(t => (t.Optimizer, t.Activation, t.Init, t.Layers.Length, t.Batch, t.L2 > 0)).Take(WarmUpKinds)];
        foreach (TrialConfig trial in kinds)
        {
            Epoch(prepared.FirstRows(2 * trial.Batch), data, trial, new TrialCheckpoint());
        }

        return kinds.Length;
    }

    /// <summary>One epoch from <paramref name="before"/> (on <paramref name="live"/> when it is at that epoch): the next checkpoint.</summary>
    internal static (TrialCheckpoint After, Sequential<float> Network, Optimizer<float> Optimizer) Epoch(PreparedData<float> prepared, SweepData data, TrialConfig config, TrialCheckpoint before,
        (Sequential<float> Network, Optimizer<float> Optimizer, int Epoch)? live = null)
    {
        (Sequential<float> network, Optimizer<float> optimizer) = live is { } l && l.Epoch == before.Epoch ? (l.Network, l.Optimizer) : Restore(prepared, data, config, before);
        // the next epoch of the run the trial is: shuffled as one call over all its epochs would shuffle it
        TrainingOptions options = config.ToRunConfig(data, before.Epoch + 1).TrainingOptions() with { StartEpoch = before.Epoch };
        var after = new TrialCheckpoint { Epoch = before.Epoch + 1, Reports = [.. before.Reports] };
        EpochRecord epoch;
        try
        {
            // the trainer measures the validation rows itself at the end of the epoch; with clip-norm each update goes
            // through the clipping first, as train's run does (the rule and its state stay the optimizer's)
            IOptimizer<float> updates = data.ClipNorm is { } norm ? new GradientClipping<float>(optimizer, norm) : optimizer;
            epoch = new Trainer<float>(network, prepared.Head, updates, options).Fit(prepared.TrainX, prepared.TrainD, prepared.ValidationX, prepared.ValidationD).Epochs[^1];
        }
        catch (TrainingDivergedException error)
        {
            after.Failure = error.Message;
            after.Reports.Add(new EpochReport(after.Epoch, double.NaN, double.NaN, double.NaN));
            return (after, network, optimizer);
        }

        after.Reports.Add(new EpochReport(after.Epoch, data.HigherIsBetter ? epoch.ValidationMetric : epoch.ValidationLoss, epoch.ValidationLoss, epoch.TrainLoss));
        (float[][] state, after.OptimizerSteps) = optimizer.ExportState(network.Parameters);
        after.Pack([.. network.Parameters.Select(p => (ReadOnlyMemory<float>)p.Value.AsMemory()), .. state.Select(a => (ReadOnlyMemory<float>)a)]);
        return (after, network, optimizer);
    }

    private static (Sequential<float> Network, Optimizer<float> Optimizer) Restore(PreparedData<float> prepared, SweepData data, TrialConfig config, TrialCheckpoint state)
    {
        RunConfig run = config.ToRunConfig(data, Math.Max(state.Epoch, 1));
        Sequential<float> network = run.BuildNetwork(prepared);
        Optimizer<float> optimizer = run.CreateOptimizer<float>();
        if (state.Epoch > 0 && state.Failure is null)
        {
            // the optimizer's arrays have the shapes a fresh export gives
            float[][] slots = optimizer.ExportState(network.Parameters).State;
            state.Unpack([.. network.Parameters.Select(p => p.Value.AsMemory()), .. slots.Select(a => a.AsMemory())]);
            optimizer.ImportState(network.Parameters, slots, state.OptimizerSteps);
        }

        return (network, optimizer);
    }
}
