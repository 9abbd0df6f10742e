using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Training;

/// <summary>
/// Trains a network on a data set held in memory, by full-batch, mini-batch, stochastic or online gradient descent
/// (<see cref="DescentMode"/>), recording a <see cref="History"/>. Every update is one step of the training engine
/// (<see cref="TrainingStep{T}"/>), which picks its fast path by itself. For data that arrives one sample at a time,
/// see <see cref="OnlineLearner{T}"/>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingStep<T> _step;

    /// <summary>Creates a trainer with a loss; its metric is the one the loss implies (<see cref="TaskHead.Infer{T}"/>).</summary>
    public Trainer(Sequential<T> network, ILoss<T> loss, IOptimizer<T> optimizer, TrainingOptions? options = null)
        : this(network, loss, TaskHead.Infer(loss, network), optimizer, options)
    {
    }

    /// <summary>Creates a trainer for a task head: its loss, its targets and its metric.</summary>
    public Trainer(Sequential<T> network, TaskHead head, IOptimizer<T> optimizer, TrainingOptions? options = null)
        : this(network, (head ?? throw new ArgumentNullException(nameof(head))).CreateLoss<T>(), head, optimizer, options)
    {
    }

    private Trainer(Sequential<T> network, ILoss<T> loss, TaskHead head, IOptimizer<T> optimizer, TrainingOptions? options)
    {
        // the data set is checked once, in Fit, rather than batch by batch
        _step = new TrainingStep<T>(network, loss, optimizer) { CheckValues = false };
        Head = head;
        Options = options ?? new TrainingOptions();
        if (Options.BatchSize <= 0 || Options.Epochs < 0 || Options.Steps < 0 || Options.StartEpoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Batch size must be positive; epochs, steps and the start epoch not negative.");
        }

        if (Options.StartEpoch > 0 && Options.Mode == DescentMode.Stochastic)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Stochastic descent draws its batches from one stream of random numbers: it cannot start at a later epoch.");
        }
    }

    /// <summary>What the network's output answers and how it is judged.</summary>
    public TaskHead Head { get; }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The network being trained.</summary>
    public Sequential<T> Network => _step.Network;

    /// <summary>How the engine ran the last update.</summary>
    public TrainingPath Path => _step.Path;

    /// <summary>
    /// Trains on (x, d); with validation data, measures it after every epoch (and early stopping watches its loss).
    /// Targets are shaped as the loss wants them (class indices <c>[n]</c>, or rows like the output).
    /// </summary>
    /// <param name="x">The inputs.</param>
    /// <param name="d">The targets.</param>
    /// <param name="validationX">Held-out inputs, measured after every epoch.</param>
    /// <param name="validationD">Held-out targets.</param>
    /// <param name="progress">Told each epoch's record as it ends.</param>
    /// <param name="cancellationToken">Checked before every step: training stops between two updates.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the weights are those of the last whole step.</exception>
    public History Fit(NDArray<T> x, NDArray<T> d, NDArray<T>? validationX = null, NDArray<T>? validationD = null,
        IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(d);
        if (d.Rows != x.Rows || x.Rank != 2)
        {
            throw new ShapeMismatchException($"Training data has {x.Rows} samples in x but {d.Rows} targets in d.");
        }

        Guard.AllFinite(x, "Training input x");
        Guard.AllFinite(d, "Training targets d");
        // dropout and batch normalisation train in training mode, whatever the network was left in; measuring
        // switches to inference by itself (Sequential.Predict)
        bool training = Network.Training;
        Network.Training = true;
        try
        {
            return FitInTrainingMode(x, d, validationX, validationD, cancellationToken, progress);
        }
        finally
        {
            Network.Training = training;
        }
    }

    /// <summary><see cref="Fit"/> on the thread pool: training is arithmetic, so the caller's thread (a UI's, a request's) is freed, not made faster.</summary>
    public Task<History> FitAsync(NDArray<T> x, NDArray<T> d, NDArray<T>? validationX = null, NDArray<T>? validationD = null,
        IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Fit(x, d, validationX, validationD, progress, cancellationToken), cancellationToken);

    private History FitInTrainingMode(NDArray<T> x, NDArray<T> d, NDArray<T>? validationX, NDArray<T>? validationD, CancellationToken cancellationToken, IProgress<EpochRecord>? progress)
    {
        var history = new History { MetricName = Head.MetricName };
        var random = new SeededRandom(Options.Seed);
        var batches = new BatchGatherer<T>(x, d);
        int[] order = [.. Enumerable.Range(0, x.Rows)];
        bool shuffles = Options.Mode is DescentMode.MiniBatch or DescentMode.Online && Options.Shuffle;
        for (int shuffled = 0; shuffled < Options.StartEpoch && shuffles; shuffled++)
        {
            // the epochs trained before (by another call, another process) shuffled the order this many times
            random.Shuffle<int>(order);
        }

        // what a step's batch implies, against the memory budget, before the first step allocates it
        int rows = Options.Mode switch { DescentMode.FullBatch => x.Rows, DescentMode.Online => 1, _ => Math.Min(Options.BatchSize, x.Rows) };
        Layers.MemoryBudget.EnsureFits(Network, rows, $"Training in batches of {rows:N0}");
        int stepsPerEpoch = Options.Mode switch
        {
            DescentMode.FullBatch => 1,
            DescentMode.MiniBatch => (x.Rows + Options.BatchSize - 1) / Options.BatchSize,
            DescentMode.Online => x.Rows,
            _ => Options.StepsPerEpoch ?? Math.Max(x.Rows / Options.BatchSize, 1),
        };
        // the run's steps are counted from its first: an epoch trained by an earlier call counts too
        int firstStep = Options.StartEpoch * stepsPerEpoch;
        int totalSteps = Math.Max((Options.Steps ?? (Options.Epochs * stepsPerEpoch)) - firstStep, 0);
        var stopping = new EarlyStopping<T>(Network, Options.EarlyStoppingPatience);
        IReadOnlyList<ITrainingCallback> callbacks = Options.Callbacks;
        history.Reserve(totalSteps);
        int done = 0;
        for (int epoch = Options.StartEpoch + 1; done < totalSteps; epoch++)
        {
            int first = history.StepLosses.Count;
            if (shuffles)
            {
                random.Shuffle<int>(order);
            }

            bool keepGoing = true;
            for (int s = 0; s < stepsPerEpoch && done < totalSteps && keepGoing; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int step = firstStep + done;
                for (int c = 0; c < callbacks.Count; c++)
                {
                    callbacks[c].OnStepStart(step);
                }

                double loss;
                try
                {
                    loss = Options.Mode == DescentMode.Online ? RunSample(x, d, order[s]) : RunBatch(x, d, s, order, batches, random);
                }
                catch (TrainingDivergedException error)
                {
                    error.History = history;
                    throw;
                }

                history.AddStep(loss);
                done++;
                for (int c = 0; c < callbacks.Count; c++)
                {
                    keepGoing &= callbacks[c].OnStepEnd(step, loss);
                }
            }

            EpochRecord record = Measure(history, epoch, first, x, d, validationX, validationD);
            history.AddEpoch(record);
            progress?.Report(record);
            for (int c = 0; c < callbacks.Count; c++)
            {
                keepGoing &= callbacks[c].OnEpochEnd(record, Network);
            }

            if (!keepGoing || stopping.ShouldStop(record))
            {
                history.StoppedEarly = stopping.Stopped;
                break;
            }
        }

        history.BestEpoch = stopping.Finish(Options.StartEpoch + history.Epochs.Count);
        try
        {
            // the last update's weights have not been judged by a loss yet
            _step.CheckWeights();
        }
        catch (TrainingDivergedException error)
        {
            error.History = history;
            throw;
        }

        return history;
    }

    private double RunBatch(NDArray<T> x, NDArray<T> d, int s, int[] order, BatchGatherer<T> batches, SeededRandom random)
    {
        (NDArray<T> bx, NDArray<T> bd) = Options.Mode switch
        {
            DescentMode.FullBatch => (x, d),
            DescentMode.MiniBatch => batches.Gather(order.AsSpan(s * Options.BatchSize, Math.Min(Options.BatchSize, x.Rows - (s * Options.BatchSize)))),
            _ => batches.GatherRandom(Options.BatchSize, random),
        };
        return _step.Run(bx, bd);
    }

    /// <summary>One online update on sample i, read in place (a class index, or a row of targets).</summary>
    private double RunSample(NDArray<T> x, NDArray<T> d, int i) =>
        _step.Run(x.Row(i), d.Rank == 1 ? d.AsSpan().Slice(i, 1) : d.Row(i));

    private EpochRecord Measure(History history, int epoch, int firstStep, NDArray<T> x, NDArray<T> d, NDArray<T>? validationX, NDArray<T>? validationD)
    {
        double trainLoss = 0;
        int count = history.StepLosses.Count - firstStep;
        for (int i = firstStep; i < history.StepLosses.Count; i++)
        {
            trainLoss += history.StepLosses[i];
        }

        // with validation data the caller is watching the epochs: measure the training metric too (one forward pass)
        bool watched = validationX is not null && validationD is not null;
        (double validationLoss, double validationMetric) = watched ? Head.Evaluate(Network, validationX!, validationD!, _step.Loss) : (double.NaN, double.NaN);
        double trainMetric = watched && Options.MeasureTrainingMetric ? Head.Evaluate(Network, x, d, _step.Loss).Metric : double.NaN;
        return new EpochRecord(epoch, _step.Count, trainLoss / Math.Max(count, 1), trainMetric, validationLoss, validationMetric);
    }
}
