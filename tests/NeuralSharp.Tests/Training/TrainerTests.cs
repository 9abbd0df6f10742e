using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;
using Xunit.Abstractions;

namespace NeuralSharp.Tests.Training;

public sealed class TrainerTests(ITestOutputHelper output)
{
    private static readonly Dataset Regression = Generators.CourseRegression(1000, seed: 11);

    [Fact]
    public void Course_regression_online_1000_steps_cuts_the_loss_tenfold()
    {
        // notebook 1_3: 2-10-1, ReLU, W ~ N(0,1), x ∈ [0,1)², lr 0.07, 1,000 steps of one sample drawn at random
        Dataset pool = Generators.CourseRegression(100_000, seed: 1);
        Sequential<double> net = CourseNet(seed: 2);
        var trainer = new Trainer<double>(net, new SquaredError<double>(), new Sgd<double>(0.07),
            new TrainingOptions { Mode = DescentMode.Stochastic, BatchSize = 1, Steps = 1000, Seed = 3 });
        History history = trainer.Fit(pool.FeatureTensor<double>(), pool.TargetTensor<double>());

        double first = history.StepLosses.Take(100).Average(), last = history.StepLosses.Skip(900).Average();
        output.WriteLine($"mean loss, first 100 steps {first:G4}, last 100 {last:G4}, ratio {last / first:G3}");
        Assert.Equal(1000, history.StepLosses.Count);
        Assert.True(last < first / 10, $"first {first}, last {last}");
    }

    [Theory]
    [InlineData(DescentMode.FullBatch, 32, 300)]
    [InlineData(DescentMode.MiniBatch, 32, 30)]
    [InlineData(DescentMode.Stochastic, 1, 30)]
    public void Every_mode_converges_on_the_same_problem(DescentMode mode, int batch, int epochs)
    {
        Sequential<double> net = CourseNet(seed: 5);
        var loss = new SquaredError<double>();
        NDArray<double> x = Regression.FeatureTensor<double>(), d = Regression.TargetTensor<double>();
        double before = net.Loss(x, d, loss);
        var trainer = new Trainer<double>(net, loss, new Sgd<double>(mode == DescentMode.FullBatch ? 0.1 : 0.05),
            new TrainingOptions { Mode = mode, BatchSize = batch, Epochs = epochs, Seed = 1 });
        History history = trainer.Fit(x, d);
        double after = net.Loss(x, d, loss);
        output.WriteLine($"{mode}: loss {before:G4} → {after:G4} in {history.StepLosses.Count} steps");
        Assert.True(after < 0.01 && after < before / 20, $"{mode}: {before} → {after}");
        Assert.Equal(epochs, history.Epochs.Count);
    }

    [Fact]
    public void Mini_batch_keeps_the_last_partial_batch_and_counts_steps()
    {
        Sequential<double> net = CourseNet(seed: 5);
        var trainer = new Trainer<double>(net, new SquaredError<double>(), new Sgd<double>(0.01),
            new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 300, Epochs = 2 });
        History history = trainer.Fit(Regression.FeatureTensor<double>(), Regression.TargetTensor<double>());
        Assert.Equal(8, history.StepLosses.Count); // ⌈1000 / 300⌉ = 4 per epoch
        Assert.Equal(8, history.Epochs[^1].Steps);
    }

    [Fact]
    public void Same_seed_gives_the_same_history_bit_for_bit()
    {
        static History Run(ulong seed)
        {
            Sequential<float> net = NetworkBuilder<float>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 1);
            var trainer = new Trainer<float>(net, new SquaredError<float>(), new Adam<float>(0.01),
                new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 16, Epochs = 3, Seed = seed });
            return trainer.Fit(Regression.FeatureTensor<float>(), Regression.TargetTensor<float>());
        }

        History a = Run(9), b = Run(9), c = Run(10);
        Assert.Equal(a.StepLosses.Select(BitConverter.DoubleToInt64Bits), b.StepLosses.Select(BitConverter.DoubleToInt64Bits));
        Assert.NotEqual(a.StepLosses, c.StepLosses);
    }

    [Fact]
    public void A_huge_learning_rate_stops_with_the_divergence_error_and_finite_weights()
    {
        Dataset pool = Generators.CourseRegression(10_000, seed: 1);
        Sequential<double> net = CourseNet(seed: 2);
        var trainer = new Trainer<double>(net, new SquaredError<double>(), new Sgd<double>(1e3),
            new TrainingOptions { Mode = DescentMode.Stochastic, BatchSize = 1, Steps = 1000, Seed = 3 });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(pool.FeatureTensor<double>(), pool.TargetTensor<double>()));

        output.WriteLine(error.Message);
        Assert.Contains($"step {error.Step}", error.Message, StringComparison.Ordinal);
        Assert.Contains("smaller learning rate", error.Message, StringComparison.Ordinal);
        Assert.All(net.Parameters.SelectMany(p => p.Value.ToArray()), w => Assert.True(double.IsFinite(w)));
        Assert.True(double.IsFinite(net.Loss(pool.FeatureTensor<double>(), pool.TargetTensor<double>(), new SquaredError<double>())));
    }

    [Fact]
    public void Online_learning_over_a_stream_matches_sgd_over_the_same_samples()
    {
        Dataset samples = Generators.CourseRegression(10_000, seed: 21);
        Dataset check = Generators.CourseRegression(2_000, seed: 22);
        var loss = new SquaredError<double>();

        Sequential<double> online = CourseNet(seed: 8);
        var learner = new OnlineLearner<double>(online, loss, new Sgd<double>(0.02));
        learner.Learn(Stream(samples));

        Sequential<double> sgd = CourseNet(seed: 8);
        new Trainer<double>(sgd, loss, new Sgd<double>(0.02),
            new TrainingOptions { Mode = DescentMode.Stochastic, BatchSize = 1, Steps = 10_000, Seed = 4 })
            .Fit(samples.FeatureTensor<double>(), samples.TargetTensor<double>());

        double onlineLoss = online.Loss(check.FeatureTensor<double>(), check.TargetTensor<double>(), loss);
        double sgdLoss = sgd.Loss(check.FeatureTensor<double>(), check.TargetTensor<double>(), loss);
        output.WriteLine($"held-out loss: online {onlineLoss:G4}, SGD {sgdLoss:G4}");
        Assert.Equal(10_000, learner.Count);
        Assert.True(onlineLoss <= sgdLoss * 1.10, $"online {onlineLoss} vs SGD {sgdLoss}");
    }

    [Fact]
    public async Task Online_learning_takes_an_async_stream()
    {
        Dataset samples = Generators.CourseRegression(3_000, seed: 21);
        var learner = new OnlineLearner<double>(CourseNet(seed: 8), new SquaredError<double>(), new Sgd<double>(0.02));
        double mean = await learner.LearnAsync(AsyncStream(samples));
        Assert.Equal(3_000, learner.Losses.Count);
        Assert.True(learner.Losses.Skip(2_900).Average() < learner.Losses.Take(100).Average() / 10);
        Assert.True(double.IsFinite(mean));
    }

    [Fact]
    public void The_training_metric_can_be_left_unmeasured_and_nothing_else_changes()
    {
        Dataset data = Generators.Circle(80, noise: 0.2, seed: 4);
        (Dataset train, Dataset validation) = data.Split(0.25, seed: 1);
        History Run(bool measure)
        {
            Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 8, 1], ActivationKind.Tanh, ActivationKind.Sigmoid, seed: 5);
            var options = new TrainingOptions { BatchSize = 8, Epochs = 4, Seed = 9, MeasureTrainingMetric = measure };
            return new Trainer<double>(net, new BinaryCrossEntropy<double>(), new Sgd<double>(0.5), options)
                .Fit(train.FeatureTensor<double>(), train.TargetTensor<double>(), validation.FeatureTensor<double>(), validation.TargetTensor<double>());
        }

        History measured = Run(true), unmeasured = Run(false);
        Assert.All(measured.Epochs, e => Assert.InRange(e.TrainMetric, 0, 1));
        Assert.All(unmeasured.Epochs, e => Assert.True(double.IsNaN(e.TrainMetric)));
        Assert.Equal(measured.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.ValidationMetric)), unmeasured.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.ValidationMetric)));
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        // a tiny, noisy training set that a wide network overfits
        Dataset data = Generators.Circle(60, noise: 0.5, seed: 3);
        (Dataset train, Dataset validation) = data.Split(0.5, seed: 1);
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 64, 64, 1], ActivationKind.Relu, ActivationKind.Sigmoid, seed: 2);
        var loss = new BinaryCrossEntropy<double>();
        var trainer = new Trainer<double>(net, loss, new Adam<double>(0.01),
            new TrainingOptions { Mode = DescentMode.FullBatch, Epochs = 500, EarlyStoppingPatience = 20 });
        NDArray<double> vx = validation.FeatureTensor<double>(), vd = validation.TargetTensor<double>();
        History history = trainer.Fit(train.FeatureTensor<double>(), train.TargetTensor<double>(), vx, vd);

        Assert.True(history.StoppedEarly);
        Assert.All(history.Epochs, e => Assert.InRange(e.TrainMetric, 0, 1));
        Assert.True(history.Epochs[^1].TrainMetric > history.Epochs[^1].ValidationMetric - 0.2);
        Assert.True(history.Epochs.Count < 500);
        double best = history.Epochs.Min(e => e.ValidationLoss);
        Assert.Equal(best, history.Epochs[history.BestEpoch - 1].ValidationLoss);
        Assert.Equal(best, net.Loss(vx, vd, loss), 12);
    }

    [Fact]
    public void A_callback_can_stop_training_and_sees_every_epoch()
    {
        var counter = new CountingCallback(stopAfter: 3);
        var trainer = new Trainer<double>(CourseNet(1), new SquaredError<double>(), new Sgd<double>(0.01),
            new TrainingOptions { Epochs = 10, Callbacks = [counter] });
        History history = trainer.Fit(Regression.FeatureTensor<double>(), Regression.TargetTensor<double>());
        Assert.Equal(3, counter.Seen);
        Assert.Equal(3, history.Epochs.Count);
    }

    [Fact]
    public void Refuses_nan_in_the_training_data_naming_where()
    {
        NDArray<double> x = Regression.FeatureTensor<double>();
        x[5, 1] = double.NaN;
        var trainer = new Trainer<double>(CourseNet(1), new SquaredError<double>(), new Sgd<double>(0.01));
        var error = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(x, Regression.TargetTensor<double>()));
        Assert.Contains("row 5, column 1", error.Message, StringComparison.Ordinal);
    }

    internal static Sequential<double> CourseNet(ulong seed) =>
        NetworkBuilder<double>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed, Initializers.StandardNormal);

    private static IEnumerable<(double[] X, double[] D)> Stream(Dataset data)
    {
        for (int i = 0; i < data.Count; i++)
        {
            yield return (data.FeatureRow(i).ToArray(), [data.Targets[i]]);
        }
    }

    private static async IAsyncEnumerable<(double[] X, double[] D)> AsyncStream(Dataset data)
    {
        foreach ((double[] x, double[] d) in Stream(data))
        {
            await Task.Yield();
            yield return (x, d);
        }
    }

    private sealed class CountingCallback(int stopAfter) : ITrainingCallback
    {
        public int Seen { get; private set; }

        public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => ++Seen < stopAfter;
    }
}
