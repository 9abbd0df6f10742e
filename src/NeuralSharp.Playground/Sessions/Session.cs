using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// One learner's playground: the data, the network built from the configuration, its optimizer, and the record of
/// training. Every member takes the session's lock, so the trainer thread and requests never see half an update.
/// </summary>
public sealed class Session
{
    private readonly object _gate = new();
    private readonly Dataset? _upload;
    private readonly List<(int Epoch, double Train, double Test)> _history = [];

    /// <summary>The fastest speed a learner can ask for (a playing session otherwise trains as fast as its share of the core allows).</summary>
    public const int MaxEpochsPerSecond = 10_000;

    /// <summary>When the next epoch may start, for a session slowed down (<see cref="EpochsPerSecond"/>).</summary>
    private long _nextEpochAt;

    /// <summary>The epochs between two kept points of the loss history: doubled each time it fills.</summary>
    private int _stride = 1;
    private NDArray<double> _trainX = null!, _trainD = null!, _testX = null!, _testD = null!;
    private Optimizer<double> _optimizer = null!;
    private int _waiting;

    /// <summary>Creates a session and builds its network.</summary>
    public Session(string id, PlaygroundConfig config, Dataset? upload)
    {
        Id = id;
        _upload = upload;
        EstimatedBytes = EstimateBytes(upload);
        Config = config;
        LastTouched = DateTime.UtcNow;
        Reset(config);
    }

    /// <summary>
    /// An upper bound of the memory a session over <paramref name="upload"/> (or a generated data set) can hold, whatever
    /// network a later reset chooses: the points as features and targets, and for the widest network the limits allow
    /// its weights with their gradients and two optimizer states, and every layer's u, z and δ for the largest batch it
    /// sees (all points, or the snapshot's output grid).
    /// </summary>
    public static long EstimateBytes(Dataset? upload)
    {
        long rows = upload?.Count ?? Limits.GeneratedPoints;
        long features = PlaygroundConfig.FeatureNames.Length, outputs = Limits.MaxClasses;
        long widths = features + ((long)Limits.MaxHiddenLayers * Limits.MaxWidth) + outputs;
        long parameters = ((features + 1) * Limits.MaxWidth) + ((Limits.MaxHiddenLayers - 1) * (Limits.MaxWidth + 1) * Limits.MaxWidth) + ((Limits.MaxWidth + 1) * outputs);
        long batch = Math.Max(rows, (long)Snapshot.OutputGrid * Snapshot.OutputGrid);
        return sizeof(double) * ((rows * (features + outputs + 2) * 2) + (parameters * 4) + (batch * widths * 4));
    }

    /// <summary>The session's id (in its URLs).</summary>
    public string Id { get; }

    /// <summary>What <see cref="EstimateBytes"/> bounds this session's memory by.</summary>
    public long EstimatedBytes { get; }

    /// <summary>The configuration in force.</summary>
    public PlaygroundConfig Config { get; private set; }

    /// <summary>The points.</summary>
    public PlaygroundData Data { get; private set; } = null!;

    /// <summary>The network being trained.</summary>
    public Sequential<double> Network { get; private set; } = null!;

    /// <summary>The task head for the output chosen: softmax + cross entropy, tanh + squared error on ±1 (<c>tf</c>), or identity for numbers.</summary>
    public TaskHead Head { get; private set; } = null!;

    /// <summary>The head's loss.</summary>
    public ILoss<double> Loss { get; private set; } = null!;

    /// <summary>Epochs trained.</summary>
    public int Epoch { get; private set; }

    /// <summary>True while the trainer thread should keep training.</summary>
    public bool Playing { get; private set; }

    /// <summary>Why training stopped by itself (divergence), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Changes whenever anything shown changes, so the stream sends only new frames.</summary>
    public long Version { get; private set; }

    /// <summary>When a request last touched the session (for expiry).</summary>
    public DateTime LastTouched { get; private set; }

    /// <summary>Training then test loss after the last epoch.</summary>
    public (double Train, double Test) Losses { get; private set; }

    /// <summary>The loss curves (thinned to at most <see cref="Limits.MaxHistory"/> points).</summary>
    public IReadOnlyList<(int Epoch, double Train, double Test)> History => _history;

    /// <summary>Marks the session as used now.</summary>
    public void Touch() => LastTouched = DateTime.UtcNow;

    /// <summary>True while a request waits for the lock: the trainer then ends its slice early.</summary>
    public bool RequestWaiting => Volatile.Read(ref _waiting) > 0;

    /// <summary>Runs <paramref name="action"/> under the session's lock.</summary>
    public T Locked<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Interlocked.Increment(ref _waiting);
        lock (_gate)
        {
            Interlocked.Decrement(ref _waiting);
            return action();
        }
    }

    /// <summary>How fast a playing session trains: epochs per second, 0 for as fast as it can (so a learner can watch it learn).</summary>
    public int EpochsPerSecond { get; private set; }

    /// <summary>Sets <see cref="EpochsPerSecond"/>; the training goes on where it is.</summary>
    public void SetSpeed(int epochsPerSecond) => Locked(() =>
    {
        EpochsPerSecond = epochsPerSecond;
        _nextEpochAt = 0;
        return ++Version;
    });

    /// <summary>Trains one epoch when the session's speed lets it now (the scheduler's call); false when not due or stopped.</summary>
    public bool TrainEpochIfDue()
    {
        if (EpochsPerSecond > 0)
        {
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (now < Volatile.Read(ref _nextEpochAt))
            {
                return false;
            }

            Volatile.Write(ref _nextEpochAt, now + (System.Diagnostics.Stopwatch.Frequency / EpochsPerSecond));
        }

        return TrainEpoch();
    }

    /// <summary>Starts or stops training in the background.</summary>
    public void SetPlaying(bool playing) => Locked(() =>
    {
        Playing = playing && Error is null;
        return ++Version;
    });

    /// <summary>Rebuilds data and network from a (new) configuration and forgets all training.</summary>
    public void Reset(PlaygroundConfig config)
    {
        Locked(() =>
        {
            // all or nothing: a configuration refused after the data changed leaves the session as it was
            var before = (Config, Data, Head, Network, Loss, _optimizer, _trainX, _trainD, _testX, _testD);
            try
            {
                Config = config;
                Data = PlaygroundData.Create(config, _upload);
                if (Config.Output == "tf" && Data.Classes > 2)
                {
                    throw new DataFormatException("output 'tf' (tanh + squared error) needs two classes; use 'course' for more.");
                }

                Build();
            }
            catch
            {
                (Config, Data, Head, Network, Loss, _optimizer, _trainX, _trainD, _testX, _testD) = before;
                throw;
            }

            Epoch = 0;
            Error = null;
            Playing = false;
            _history.Clear();
            _stride = 1;
            Losses = Measure();
            _history.Add((0, Losses.Train, Losses.Test));
            return ++Version;
        });
    }

    /// <summary>Trains one epoch (one pass over the training points); returns false when training stopped.</summary>
    /// <remarks>Takes the lock directly, not through <see cref="Locked{T}"/>: the trainer must not count as a waiting request.</remarks>
    public bool TrainEpoch()
    {
        lock (_gate)
        {
            return TrainLocked();
        }
    }

    private bool TrainLocked()
    {
        if (Epoch >= Limits.MaxEpochs)
        {
            Playing = false;
            return false;
        }

        try
        {
            RunEpoch();
        }
        catch (TrainingDivergedException error)
        {
            Playing = false;
            Error = $"Training diverged in epoch {Epoch + 1}: the loss became {(double.IsNaN(error.Loss) ? "NaN" : "infinite")}. Lower the learning rate and reset.";
            Version++;
            return false;
        }

        Epoch++;
        Losses = Measure();
        Record();
        Version++;
        return true;
    }

    /// <summary>Sets one weight, <c>W[from, to]</c> of dense layer <paramref name="layer"/> (1-based), or a bias when from is −1.</summary>
    public void SetWeight(int layer, int from, int to, double value) => Locked(() =>
    {
        Dense<double>[] dense = [.. Network.Layers.OfType<Dense<double>>()];
        if (layer < 1 || layer > dense.Length || to < 0 || to >= dense[layer - 1].Outputs || from < -1 || from >= dense[layer - 1].Inputs)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"There is no weight from {from} to {to} in layer {layer}.");
        }

        if (!double.IsFinite(value) || Math.Abs(value) > Limits.MaxWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"A weight must lie between −{Limits.MaxWeight:N0} and {Limits.MaxWeight:N0}, not {value:G4}.");
        }

        if (from == -1)
        {
            dense[layer - 1].Bias.Value[to] = value;
        }
        else
        {
            dense[layer - 1].Weights.Value[from, to] = value;
        }

        Losses = Measure();
        return ++Version;
    });

    private void Build()
    {
        // TensorFlow Playground's output ('tf') is one tanh unit trained on −1/+1 by squared error; the course's a softmax
        TaskKind task = Data.Classes == 0 ? TaskKind.Regression : Data.Classes == 2 ? TaskKind.BinaryClassification : TaskKind.MultiClassClassification;
        Head = task == TaskKind.Regression ? TaskHead.For(task, 1, loss: LossKind.SquaredErrorSum)
            : Config.Output == "tf" ? TaskHead.For(task, Data.Classes, ActivationKind.Tanh, LossKind.SquaredErrorSum)
            : TaskHead.For(task, Data.Classes, ActivationKind.Softmax, LossKind.CrossEntropy);
        int[] sizes = [Data.Features.Length, .. Config.Hidden, Head.OutputWidth];
        Network = NetworkBuilder<double>.FromSizes(sizes, NeuralSharp.Activations.Activation.Parse(Config.Activation), Head.Output, (ulong)Config.Seed, Initializers.Parse(Config.Init));
        Loss = Head.CreateLoss<double>();
        _optimizer = OptimizerFactory.Create<double>(Config.Optimizer, Config.LearningRate);
        _optimizer.WeightDecay = Config.Regularization == "l2" ? Config.RegularizationRate : 0;
        _optimizer.L1 = Config.Regularization == "l1" ? Config.RegularizationRate : 0;
        (_trainX, _trainD) = (Data.FeatureTensor(0, Data.TrainCount), Head.EncodeTargets<double>(Data.Targets.AsSpan(0, Data.TrainCount), Data.TrainCount));
        (_testX, _testD) = (Data.FeatureTensor(Data.TrainCount, Data.Count), Head.EncodeTargets<double>(Data.Targets.AsSpan(Data.TrainCount), Data.Count - Data.TrainCount));
    }

    private void RunEpoch()
    {
        ulong seed = (ulong)Config.Seed + (ulong)Epoch + 17;
        var options = new TrainingOptions
        {
            // online learning (batch −1): every training point once, in a fresh order, each an update as it arrives
            Mode = Config.Batch < 0 ? DescentMode.Online : Config.Batch == 0 || Config.Batch >= _trainX.Rows ? DescentMode.FullBatch : DescentMode.MiniBatch,
            BatchSize = Math.Max(Config.Batch, 1),
            Epochs = 1,
            Seed = seed,
        };
        new Trainer<double>(Network, Head, _optimizer, options).Fit(_trainX, _trainD);
    }

    private (double Train, double Test) Measure() =>
        (Network.Loss(_trainX, _trainD, Loss), Network.Loss(_testX, _testD, Loss));

    private void Record()
    {
        // the points lie every _stride epochs from 0, evenly over the whole run; the newest epoch is shown too, until the
        // next one takes its place
        if (_history.Count > 1 && _history[^1].Epoch % _stride != 0)
        {
            _history.RemoveAt(_history.Count - 1);
        }

        _history.Add((Epoch, Losses.Train, Losses.Test));
        if (_history.Count > Limits.MaxHistory)
        {
            // full: keep every second point of the grid (so every 2·stride epochs) and the newest
            _stride *= 2;
            var thinned = _history.Where((point, i) => point.Epoch % _stride == 0 || i == _history.Count - 1).ToList();
            _history.Clear();
            _history.AddRange(thinned);
        }
    }
}
