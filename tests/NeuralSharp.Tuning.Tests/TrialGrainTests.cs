using NeuralSharp.Data;
using NeuralSharp.Training;

namespace NeuralSharp.Tuning.Tests;

public sealed class TrialGrainTests
{
    private static readonly SweepData Digits = new() { Source = "digits", Metric = "val_accuracy", SplitSeed = 3 };

    private static IReadOnlyList<TrialConfig> Trials() =>
        SearchSpace.Parse("lr=log(1e-3,1e-1); layers=16|8,8; optimizer=sgd|momentum|adam|rmsprop; batch=8|32").Trials(12, seed: 5, grid: false);

    [Fact]
    public void The_warm_up_leaves_no_trace_an_epoch_after_it_is_the_epoch_without_it()
    {
        TrialConfig trial = Trials()[3];
        PreparedData<float> prepared = TrialData.For(Digits);
        (TrialCheckpoint before, _, _) = TrialGrain.Epoch(prepared, Digits, trial, new TrialCheckpoint());
        TrialGrain.WarmUp(Digits, Trials());
        (TrialCheckpoint after, _, _) = TrialGrain.Epoch(prepared, Digits, trial, new TrialCheckpoint());
        Assert.Equal(before.Arrays, after.Arrays);
        Assert.Equal(before.Reports, after.Reports);
        // and the sweep's data is as it was
        Assert.Same(prepared, TrialData.For(Digits));
        Assert.Equal(prepared.TrainD.Shape[0], prepared.TrainX.Shape[0]);
    }

    [Fact]
    public void The_warm_up_trains_one_trial_of_each_kind_and_at_most_a_dozen()
    {
        // widths do not make a kind: 2 optimizers × 2 batches × 2 depths
        IReadOnlyList<TrialConfig> few = SearchSpace.Parse("lr=0.01; layers=8|16|32|8,8|16,16; optimizer=sgd|adam; batch=8|32").Trials(100, seed: 1, grid: true);
        Assert.Equal(20, few.Count);
        Assert.Equal(8, TrialGrain.WarmUp(Digits, few));
        IReadOnlyList<TrialConfig> many = SearchSpace.Parse("lr=0.01; layers=8|8,8; optimizer=sgd|momentum|adam|rmsprop|adagrad; batch=8|32; activation=relu|tanh").Trials(100, seed: 1, grid: true);
        Assert.Equal(TrialGrain.WarmUpKinds, TrialGrain.WarmUp(Digits, many));
    }

    [Fact]
    public void FirstRows_takes_the_first_rows_standardized_as_the_whole()
    {
        PreparedData<float> whole = TrialData.For(Digits);
        PreparedData<float> head = whole.FirstRows(10);
        Assert.Equal(10, head.TrainX.Shape[0]);
        Assert.Equal(10, head.ValidationX!.Shape[0]);
        Assert.Same(whole.Features, head.Features);
        Assert.Equal(whole.TrainX.AsSpan()[..(10 * whole.FeatureNames.Count)].ToArray(), head.TrainX.AsSpan().ToArray());
        Assert.Equal(whole.ValidationD!.AsSpan()[..10].ToArray(), head.ValidationD!.AsSpan().ToArray());
        Assert.Equal(whole.ValidationX!.Shape[0], whole.FirstRows(100_000).ValidationX!.Shape[0]);
    }

    [Fact]
    public void A_trial_trained_epoch_by_epoch_is_the_run_its_configuration_describes()
    {
        TrialConfig trial = Trials()[5];
        PreparedData<float> prepared = TrialData.For(Digits);
        var state = new TrialCheckpoint();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            // no live network: every epoch restored from the checkpoint, as on a silo that took the trial over
            (state, _, _) = TrialGrain.Epoch(prepared, Digits, trial, state);
        }

        TrainingRun<float> run = TrainingRun<float>.Start(trial.ToRunConfig(Digits, epochs: 3));
        History history = run.Fit();
        Assert.Equal(history.Epochs.Select(e => e.ValidationMetric), state.Reports.Select(r => r.Metric));
        Assert.Equal(prepared.TrainX.ToArray(), run.Data.TrainX.ToArray());
        float[] weights = [.. run.Network.Parameters.SelectMany(p => p.Value.ToArray())];
        var packed = new float[weights.Length];
        (float[][] slots, _) = run.Optimizer.ExportState(run.Network.Parameters);
        var optimizer = new float[slots.Sum(a => a.Length)];
        state.Unpack([packed.AsMemory(), optimizer.AsMemory()]);
        Assert.Equal(weights, packed);
    }
}
