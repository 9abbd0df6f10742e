namespace NeuralSharp.Training;

/// <summary>One epoch's numbers.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Steps">Updates made so far, in total.</param>
/// <param name="TrainLoss">Mean loss of this epoch's steps.</param>
/// <param name="TrainMetric">Accuracy (classification) or R² (regression) on the training data, measured when validation data is given (and <see cref="TrainingOptions.MeasureTrainingMetric"/>); else NaN.</param>
/// <param name="ValidationLoss">Loss on the validation data, or NaN without one.</param>
/// <param name="ValidationMetric">Accuracy or R² on the validation data, or NaN without one.</param>
public sealed record EpochRecord(int Epoch, int Steps, double TrainLoss, double TrainMetric, double ValidationLoss, double ValidationMetric)
{
    /// <summary>The loss a callback watches: the validation loss, or the training loss where there is no validation data.</summary>
    public double WatchedLoss => double.IsNaN(ValidationLoss) ? TrainLoss : ValidationLoss;
}

/// <summary>What happened during training: the loss of every step and the numbers of every epoch.</summary>
public sealed class History
{
    private readonly List<double> _stepLosses = [];
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>The loss of each update, in order (the course's per-step plot).</summary>
    public IReadOnlyList<double> StepLosses => _stepLosses;

    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>The name of the metric: <c>accuracy</c> or <c>r2</c>.</summary>
    public string MetricName { get; internal set; } = "accuracy";

    /// <summary>True when early stopping ended training.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>The epoch whose weights the network holds after early stopping (else the last).</summary>
    public int BestEpoch { get; internal set; }

    /// <summary>The record of the epoch whose weights the network holds (<see cref="BestEpoch"/>; the last without early stopping), or null before any.</summary>
    public EpochRecord? BestRecord => _epochs.Find(e => e.Epoch == BestEpoch) ?? (_epochs.Count > 0 ? _epochs[^1] : null);

    /// <summary>The loss of the last step, or NaN before any.</summary>
    public double FinalLoss => _stepLosses.Count > 0 ? _stepLosses[^1] : double.NaN;

    /// <summary>Adds an epoch and the losses of its steps (for training loops written outside <see cref="Trainer{T}"/>).</summary>
    public void AddEpoch(EpochRecord record, IEnumerable<double> stepLosses)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(stepLosses);
        _stepLosses.AddRange(stepLosses);
        _epochs.Add(record);
    }

    /// <summary>
    /// Writes every epoch's record to <paramref name="path"/>, atomically: a CSV file (<c>epoch,steps,train_loss,
    /// train_{metric},val_loss,val_{metric}</c>, empty where not measured) or, for a <c>.json</c> name, a JSON object with
    /// the metric's name and a list of epochs (null where not measured).
    /// </summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        static string Cell(double value) => double.IsNaN(value) ? "" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        static double? Value(double value) => double.IsNaN(value) ? null : value;
        string text;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            text = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["metric"] = MetricName,
                ["epochs"] = _epochs.Select(e => new Dictionary<string, object?>
                {
                    ["epoch"] = e.Epoch, ["steps"] = e.Steps, ["train_loss"] = Value(e.TrainLoss), [$"train_{MetricName}"] = Value(e.TrainMetric),
                    ["val_loss"] = Value(e.ValidationLoss), [$"val_{MetricName}"] = Value(e.ValidationMetric),
                }),
            }) + "\n";
        }
        else
        {
            var csv = new System.Text.StringBuilder($"epoch,steps,train_loss,train_{MetricName},val_loss,val_{MetricName}\n");
            foreach (EpochRecord e in _epochs)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{e.Epoch},{e.Steps},{Cell(e.TrainLoss)},{Cell(e.TrainMetric)},{Cell(e.ValidationLoss)},{Cell(e.ValidationMetric)}\n");
            }

            text = csv.ToString();
        }

        Serialization.AtomicFile.WriteText(path, text);
    }

    internal void AddStep(double loss) => _stepLosses.Add(loss);

    /// <summary>Makes room for the losses of <paramref name="steps"/> more updates, so that recording them allocates nothing.</summary>
    internal void Reserve(int steps) => _stepLosses.EnsureCapacity(_stepLosses.Count + steps);

    internal void AddEpoch(EpochRecord record) => _epochs.Add(record);
}
