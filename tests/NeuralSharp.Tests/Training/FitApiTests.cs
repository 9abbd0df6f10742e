using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>What a .NET developer expects of Fit: a token that stops it, progress per epoch, an async form, and learning-rate schedules.</summary>
public sealed class FitApiTests
{
    private static (Sequential<float> Net, NDArray<float> X, NDArray<float> D) Iris()
    {
        Dataset iris = Standardizer.Fit(BuiltInDatasets.Load("iris")).Transform(BuiltInDatasets.Load("iris"));
        return (NetworkBuilder<float>.FromSizes([4, 8, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 2), iris.FeatureTensor<float>(), iris.TargetTensor<float>());
    }

    private static Trainer<float> Trainer(Sequential<float> net, Optimizer<float> optimizer, int epochs, params ITrainingCallback[] callbacks) =>
        new(net, new CrossEntropy<float>(), optimizer, new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 30, Epochs = epochs, Seed = 1, Callbacks = callbacks });

    [Fact]
    public void A_cancelled_token_stops_training_between_two_steps()
    {
        (Sequential<float> net, NDArray<float> x, NDArray<float> d) = Iris();
        using var cancel = new CancellationTokenSource();
        var seen = new List<int>();
        var progress = new SynchronousProgress(record =>
        {
            seen.Add(record.Epoch);
            if (record.Epoch == 3)
            {
                cancel.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => Trainer(net, new Sgd<float>(0.1), 50).Fit(x, d, progress: progress, cancellationToken: cancel.Token));
        Assert.Equal([1, 2, 3], seen);
        Assert.All(net.Parameters, p => Assert.True(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(p.Value.AsSpan())));
    }

    [Fact]
    public async Task FitAsync_gives_what_Fit_gives()
    {
        (Sequential<float> a, NDArray<float> x, NDArray<float> d) = Iris();
        (Sequential<float> b, _, _) = Iris();
        History sync = Trainer(a, new Adam<float>(0.01), 5).Fit(x, d);
        History async = await Trainer(b, new Adam<float>(0.01), 5).FitAsync(x, d);
        Assert.Equal(sync.StepLosses, async.StepLosses);
    }

    [Fact]
    public void Schedules_follow_their_formulas_and_set_the_rate_each_epoch()
    {
        var sgd = new Sgd<float>(0.8);
        LearningRateSchedule step = LearningRateSchedule.Step(sgd, every: 2, factor: 0.5);
        Assert.Equal([0.8, 0.8, 0.4, 0.4, 0.2], Enumerable.Range(1, 5).Select(step.RateFor));
        LearningRateSchedule exponential = LearningRateSchedule.Exponential(sgd, 0.9);
        Assert.Equal(0.8 * 0.9 * 0.9, exponential.RateFor(3), 12);
        LearningRateSchedule cosine = LearningRateSchedule.Cosine(sgd, epochs: 4, minimum: 0.1);
        Assert.Equal(0.8, cosine.RateFor(1), 12);
        Assert.Equal(0.45, cosine.RateFor(3), 12);
        Assert.Equal(0.1, cosine.RateFor(5), 12);

        (Sequential<float> net, NDArray<float> x, NDArray<float> d) = Iris();
        var rates = new List<double>();
        var optimizer = new Sgd<float>(0.8);
        var schedule = LearningRateSchedule.Step(optimizer, every: 2, factor: 0.5);
        var record = new EpochCallback(_ => rates.Add(optimizer.LearningRate));
        Trainer(net, optimizer, 5, record, schedule).Fit(x, d);
        // the rate each epoch trained with, read before the schedule sets the next one's
        Assert.Equal([0.8, 0.8, 0.4, 0.4, 0.2], rates);
    }

    [Fact]
    public void Per_step_schedules_follow_pytorchs_formulas()
    {
        var sgd = new Sgd<float>(0.3);
        LearningRateSchedule warmup = LearningRateSchedule.LinearWarmup(sgd, steps: 4, startFactor: 0.2);
        Assert.True(warmup.PerStep);
        double[] rates = [.. Enumerable.Range(0, 6).Select(warmup.RateFor)];
        Assert.Equal([0.06, 0.12, 0.18, 0.24, 0.3, 0.3], rates.Select(r => Math.Round(r, 12)));

        LearningRateSchedule cosine = LearningRateSchedule.CosineWithWarmup(sgd, warmupSteps: 10, totalSteps: 110, minimum: 0.01);
        Assert.Equal(0, cosine.RateFor(0));
        Assert.Equal(0.15, cosine.RateFor(5), 12);
        Assert.Equal(0.3, cosine.RateFor(10), 12);
        Assert.Equal(0.01 + (0.29 * 0.5), cosine.RateFor(60), 12);
        Assert.Equal(0.01, cosine.RateFor(110), 12);
        Assert.Equal(0.01, cosine.RateFor(500), 12);

        // one cycle over 100 steps to 0.5: starts at 0.5/25, peaks at step 29 (0.3·100 − 1), ends at 0.5/25/1e4
        LearningRateSchedule cycle = LearningRateSchedule.OneCycle(sgd, totalSteps: 100, maxRate: 0.5);
        Assert.Equal(0.02, cycle.RateFor(0), 12);
        Assert.Equal(0.5, cycle.RateFor(29), 12);
        Assert.Equal(2e-6, cycle.RateFor(99), 15);
        Assert.True(cycle.RateFor(15) is > 0.02 and < 0.5 && cycle.RateFor(60) < cycle.RateFor(40));
    }

    [Fact]
    public void A_per_step_schedule_sets_the_rate_before_every_step_counted_across_calls()
    {
        (Sequential<float> net, NDArray<float> x, NDArray<float> d) = Iris();
        var optimizer = new Sgd<float>(0.1);
        var schedule = LearningRateSchedule.LinearWarmup(optimizer, steps: 10, startFactor: 0.1);
        var seen = new List<double>();
        var watch = new StepWatch(step => seen.Add(optimizer.LearningRate), stopAfter: null);
        // 150 rows in batches of 30: five steps an epoch; the second call starts at epoch 2, so at step 5
        new Trainer<float>(net, new CrossEntropy<float>(), optimizer, new TrainingOptions { BatchSize = 30, Epochs = 1, Seed = 1, Callbacks = [schedule, watch] }).Fit(x, d);
        new Trainer<float>(net, new CrossEntropy<float>(), optimizer, new TrainingOptions { BatchSize = 30, Epochs = 3, StartEpoch = 1, Seed = 1, Callbacks = [schedule, watch] }).Fit(x, d);
        Assert.Equal([.. Enumerable.Range(0, 15).Select(schedule.RateFor)], seen);
        Assert.Equal(Enumerable.Range(0, 15), watch.Steps);
    }

    [Fact]
    public void A_step_callback_stops_training_and_the_epoch_under_way_gets_its_record()
    {
        (Sequential<float> net, NDArray<float> x, NDArray<float> d) = Iris();
        var watch = new StepWatch(_ => { }, stopAfter: 7);
        History history = Trainer(net, new Sgd<float>(0.1), 10, watch).Fit(x, d);
        Assert.Equal(8, history.StepLosses.Count);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(history.StepLosses, watch.Losses);
    }

    [Theory]
    [InlineData(DescentMode.FullBatch, 7)]
    [InlineData(DescentMode.MiniBatch, 13)]
    [InlineData(DescentMode.Online, 151)]
    [InlineData(DescentMode.Stochastic, 9)]
    public void Steps_give_an_exact_number_of_updates_in_every_mode(DescentMode mode, int steps)
    {
        (Sequential<float> net, NDArray<float> x, NDArray<float> d) = Iris();
        var options = new TrainingOptions { Mode = mode, BatchSize = 30, Epochs = 1, Steps = steps, Seed = 1 };
        History history = new Trainer<float>(net, new CrossEntropy<float>(), new Sgd<float>(0.1), options).Fit(x, d);
        Assert.Equal(steps, history.StepLosses.Count);
        Assert.Equal(steps, history.Epochs[^1].Steps);
    }

    /// <summary>Records every step's number and loss; stops after a given step.</summary>
    private sealed class StepWatch(Action<int> onStart, int? stopAfter) : ITrainingCallback
    {
        public List<int> Steps { get; } = [];

        public List<double> Losses { get; } = [];

        public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => true;

        public void OnStepStart(int step) => onStart(step);

        public bool OnStepEnd(int step, double loss)
        {
            Steps.Add(step);
            Losses.Add(loss);
            return step != stopAfter;
        }
    }

    /// <summary>An IProgress that reports on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochRecord> report) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => report(value);
    }
}

/// <summary>Evaluate, Save and Load where a .NET developer looks for them: on the instances.</summary>
public sealed class InstanceApiTests
{
    [Fact]
    public void A_network_evaluates_itself_and_a_model_saves_and_loads_itself()
    {
        Dataset iris = BuiltInDatasets.Load("iris");
        Sequential<float> net = NetworkBuilder<float>.FromSizes([4, 8, 3], ActivationKind.Tanh, ActivationKind.Softmax, seed: 3);
        NDArray<float> x = iris.FeatureTensor<float>(), d = iris.TargetTensor<float>();
        Assert.Equal(Metrics.Evaluate(net, x, d, new CrossEntropy<float>()), net.Evaluate(x, d, new CrossEntropy<float>()));

        var model = new NeuralSharp.Serialization.Model<float>(net, iris.Task, iris.FeatureNames, iris.ClassNames);
        string path = Path.Combine(Path.GetTempPath(), $"ns-instance-{Environment.ProcessId}.nsmodel");
        model.Save(path);
        try
        {
            var loaded = NeuralSharp.Serialization.Model<float>.Load(path);
            Assert.Equal(model.Predict(iris).ToArray(), loaded.Predict(iris).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
