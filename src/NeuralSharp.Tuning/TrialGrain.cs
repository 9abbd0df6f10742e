using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
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

    /// <inheritdoc />
    public async Task<TrialOutcome> TrainAsync(SweepData data, TrialConfig config, int untilEpoch)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        TrialCheckpoint state = checkpoint.State;
        while (state.Epoch < untilEpoch && state.Failure is null)
        {
            using (await slots.TakeAsync().ConfigureAwait(true))
            {
                // the epoch runs on the thread pool: a grain's turn must not hold the silo's scheduler for seconds
                state = await Task.Run(() => Epoch(data, config, state)).ConfigureAwait(true);
            }

            checkpoint.State = state;
            await checkpoint.WriteStateAsync().ConfigureAwait(true);
        }

        // idle, this activation may go: the next rung's call is placed afresh (a silo that joined takes work)
        DeactivateOnIdle();
        return new TrialOutcome([.. state.Reports], silo.SiloAddress.ToString(), state.Failure);
    }

    /// <inheritdoc />
    public Task<byte[]> ModelAsync(SweepData data, TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        TrialData prepared = TrialData.For(data);
        (Sequential<float> network, _) = Restore(prepared, config, checkpoint.State);
        var model = new Model<float>(network, prepared.Train.Task, prepared.Train.FeatureNames, prepared.Train.ClassNames, prepared.Train.TargetName, prepared.Standardizer);
        return Task.FromResult(ModelFile.Serialize(model));
    }

    /// <summary>One epoch from <paramref name="before"/>: the next checkpoint.</summary>
    internal static TrialCheckpoint Epoch(SweepData data, TrialConfig config, TrialCheckpoint before)
    {
        TrialData prepared = TrialData.For(data);
        (Sequential<float> network, Optimizer<float> optimizer) = Restore(prepared, config, before);
        ILoss<float> loss = TaskDefaults.Loss<float>(prepared.Train.Task);
        var options = new TrainingOptions
        {
            Mode = DescentMode.MiniBatch,
            BatchSize = Math.Min(config.Batch, prepared.TrainX.Rows),
            Epochs = 1,
            // each epoch its own shuffle, the same wherever and whenever it runs
            Seed = (config.Seed * 7919) + (ulong)before.Epoch,
        };
        var after = new TrialCheckpoint { Epoch = before.Epoch + 1, Reports = [.. before.Reports] };
        try
        {
            new Trainer<float>(network, loss, optimizer, options).Fit(prepared.TrainX, prepared.TrainD);
        }
        catch (TrainingDivergedException error)
        {
            after.Failure = error.Message;
            after.Reports.Add(new EpochReport(after.Epoch, double.NaN, double.NaN, double.NaN));
            return after;
        }

        (double validationLoss, double metric) = Metrics.Evaluate(network, prepared.ValidationX, prepared.ValidationD, loss);
        double trainLoss = network.Loss(prepared.TrainX, prepared.TrainD, loss);
        after.Reports.Add(new EpochReport(after.Epoch, data.HigherIsBetter ? metric : validationLoss, validationLoss, trainLoss));
        after.Weights = [.. network.Parameters.Select(p => p.Value.ToArray())];
        (after.OptimizerState, after.OptimizerSteps) = optimizer.ExportState(network.Parameters);
        return after;
    }

    private static (Sequential<float> Network, Optimizer<float> Optimizer) Restore(TrialData prepared, TrialConfig config, TrialCheckpoint state)
    {
        ActivationKind hidden = Activation.Parse(config.Activation);
        IInitializer? init = config.Init == "auto" ? null : Initializers.Parse(config.Init);
        int[] sizes = [prepared.Train.FeatureCount, .. config.Layers, TaskDefaults.OutputWidth(prepared.Train)];
        Sequential<float> network = NetworkBuilder<float>.FromSizes(sizes, hidden, TaskDefaults.OutputActivation(prepared.Train.Task), config.Seed, init);
        Optimizer<float> optimizer = OptimizerFactory.Create<float>(config.Optimizer, config.LearningRate);
        optimizer.WeightDecay = config.L2;
        if (state.Epoch > 0 && state.Weights.Length == network.Parameters.Count)
        {
            for (int p = 0; p < network.Parameters.Count; p++)
            {
                state.Weights[p].CopyTo(network.Parameters[p].Value.AsSpan());
            }

            optimizer.ImportState(network.Parameters, state.OptimizerState, state.OptimizerSteps);
        }

        return (network, optimizer);
    }
}
