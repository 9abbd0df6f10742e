using System.Numerics;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Training;

/// <summary>How a task head hands targets to its loss.</summary>
public enum TargetEncoding
{
    /// <summary>The target values, <c>[n, width]</c> (regression; scaled when the head says so).</summary>
    Values,

    /// <summary>Class indices <c>[n]</c>, for cross entropy over a softmax.</summary>
    ClassIndices,

    /// <summary>0 or 1 in <c>[n, 1]</c>, for one sigmoid output.</summary>
    ZeroOne,

    /// <summary>−1 or +1 in <c>[n, 1]</c>, for one tanh output (TensorFlow Playground's labels).</summary>
    PlusMinusOne,

    /// <summary>One-hot rows <c>[n, classes]</c>, for several sigmoid outputs or squared error over classes.</summary>
    OneHot,
}

/// <summary>
/// What a network's last layer answers and how it is judged, decided once for a task: the output activation and width,
/// the loss (and with it the fused gradient y − d where one exists), how targets are encoded for that loss, whether
/// regression targets are standardized, and the metric (accuracy, or R²). The course's pairs are the defaults:
/// regression — identity + ½ squared error; two classes — one sigmoid + binary cross entropy; more — softmax + cross
/// entropy. The trainer, the metrics, the model file, every command, the playground and the search ask a head.
/// </summary>
public sealed partial record TaskHead
{
    /// <summary>A head of the given parts, refusing pairs that cannot learn the task.</summary>
    /// <exception cref="OptionException">The output cannot answer the task, or the loss does not fit it.</exception>
    public TaskHead(TaskKind task, ActivationKind output, int outputWidth, LossKind loss)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputWidth);
        if (task == TaskKind.Regression && loss is not (LossKind.SquaredError or LossKind.SquaredErrorSum))
        {
            throw new OptionException("loss", $"{Losses.Loss.NameOf(loss)} is for classes, and the data is a regression task; use mse (or auto).");
        }

        if (loss == LossKind.CrossEntropy && outputWidth == 1)
        {
            throw new OptionException("loss", "ce needs a distribution over two or more outputs; one output takes bce (sigmoid) or mse.");
        }

        Task = task;
        Output = output;
        OutputWidth = outputWidth;
        Loss = loss;
        Targets = task == TaskKind.Regression ? TargetEncoding.Values
            : loss == LossKind.CrossEntropy ? TargetEncoding.ClassIndices
            : outputWidth > 1 ? TargetEncoding.OneHot
            : output == ActivationKind.Tanh ? TargetEncoding.PlusMinusOne
            : TargetEncoding.ZeroOne;
    }

    /// <summary>Regression, binary or multi-class.</summary>
    public TaskKind Task { get; }

    /// <summary>The last layer's activation.</summary>
    public ActivationKind Output { get; }

    /// <summary>The number of output units.</summary>
    public int OutputWidth { get; }

    /// <summary>The loss.</summary>
    public LossKind Loss { get; }

    /// <summary>How targets reach the loss.</summary>
    public TargetEncoding Targets { get; }

    /// <summary>True for regression: targets are trained standardized (μ and σ of the training part) and predictions scaled back.</summary>
    public bool ScalesTargets => Task == TaskKind.Regression;

    /// <summary>The metric's name: <c>r2</c> for regression, <c>accuracy</c> for classes.</summary>
    public string MetricName => Task == TaskKind.Regression ? "r2" : "accuracy";

    /// <summary>
    /// The head for a data set: <paramref name="output"/> and <paramref name="loss"/> are names (<c>auto</c> picks the
    /// course's pair; a softmax output takes cross entropy, and two classes then two outputs).
    /// </summary>
    /// <exception cref="OptionException">A name is unknown, or the pair cannot learn the task.</exception>
    public static TaskHead For(Dataset data, string output = "auto", string loss = "auto")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(loss);
        ActivationKind? outputKind = IsAuto(output) ? null : OptionException.Parse("output", output, () => Activation.Parse(output), Activation.Names);
        LossKind? lossKind = IsAuto(loss) ? null : OptionException.Parse("loss", loss, () => Losses.Loss.Parse(loss), Losses.Loss.Names);
        return For(data.Task, data.Task == TaskKind.Regression ? data.TargetWidth : data.ClassCount, outputKind, lossKind);
    }

    /// <summary>
    /// The head for a task with <paramref name="width"/> targets (regression) or classes; null parts are chosen for the task.
    /// </summary>
    /// <exception cref="OptionException">An identity output for classes, or a loss that does not fit the task.</exception>
    public static TaskHead For(TaskKind task, int width, ActivationKind? output = null, LossKind? loss = null)
    {
        if (task != TaskKind.Regression && output == ActivationKind.Identity)
        {
            throw new OptionException("output", "identity: the data has classes; use sigmoid or softmax (or auto).");
        }

        ActivationKind chosen = output ?? task switch
        {
            TaskKind.Regression => ActivationKind.Identity,
            TaskKind.BinaryClassification => ActivationKind.Sigmoid,
            _ => ActivationKind.Softmax,
        };
        LossKind lossKind = loss ?? (task == TaskKind.Regression ? LossKind.SquaredError
            : chosen == ActivationKind.Softmax ? LossKind.CrossEntropy
            : chosen == ActivationKind.Tanh ? LossKind.SquaredError
            : task == TaskKind.BinaryClassification ? LossKind.BinaryCrossEntropy
            : LossKind.CrossEntropy);
        // two classes over a softmax (or cross entropy) are two outputs; one sigmoid or tanh answers them alone
        int outputs = task switch
        {
            TaskKind.Regression => width,
            TaskKind.BinaryClassification => chosen == ActivationKind.Softmax || lossKind == LossKind.CrossEntropy ? 2 : 1,
            _ => width,
        };
        return new TaskHead(task, chosen, outputs, lossKind);
    }

    /// <summary>
    /// The head a trained network implies: its output activation and width, for <paramref name="task"/> or, when not
    /// known (an imported model), the task those suggest — softmax over several outputs classes, one sigmoid two classes.
    /// </summary>
    public static TaskHead Of<T>(Sequential<T> network, TaskKind? task = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ActivationKind output = network.OutputActivation?.Activation.Kind ?? ActivationKind.Identity;
        int width = network.OutputWidth;
        TaskKind kind = task ?? (output == ActivationKind.Softmax && width > 1 ? TaskKind.MultiClassClassification
            : output == ActivationKind.Sigmoid && width == 1 ? TaskKind.BinaryClassification
            : TaskKind.Regression);
        LossKind loss = kind == TaskKind.Regression ? LossKind.SquaredError
            : output == ActivationKind.Softmax && width > 1 ? LossKind.CrossEntropy
            : output == ActivationKind.Sigmoid ? LossKind.BinaryCrossEntropy
            // a tanh's ±1, or a classifier whose output layer was left linear (logits): squared error
            : LossKind.SquaredError;
        return new TaskHead(kind, output, width, loss);
    }

    /// <summary>The head implied by a loss alone (a trainer given a loss object): squared error measures R², the others accuracy.</summary>
    public static TaskHead Infer<T>(ILoss<T> loss, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(network);
        LossKind kind = Losses.Loss.KindOf(loss);
        ActivationKind output = network.OutputActivation?.Activation.Kind ?? ActivationKind.Identity;
        int width = network.OutputWidth;
        return kind switch
        {
            LossKind.SquaredError or LossKind.SquaredErrorSum => new TaskHead(TaskKind.Regression, output, width, kind),
            LossKind.BinaryCrossEntropy => new TaskHead(width == 1 ? TaskKind.BinaryClassification : TaskKind.MultiClassClassification,
                output == ActivationKind.Identity ? ActivationKind.Sigmoid : output, width, kind),
            _ => new TaskHead(width == 2 ? TaskKind.BinaryClassification : TaskKind.MultiClassClassification,
                output == ActivationKind.Identity ? ActivationKind.Softmax : output, Math.Max(width, 2), kind),
        };
    }

    /// <summary>
    /// Each class's weight in the loss's mean (<see cref="Losses.CrossEntropy{T}"/>), or null for a plain mean: one per
    /// output of a softmax, two (classes 0 and 1) for one sigmoid output. Training only: a model's file keeps the option
    /// in its configuration, not here.
    /// </summary>
    /// <exception cref="OptionException">The loss is not a cross entropy, or the count is not the classes'.</exception>
    public IReadOnlyList<double>? ClassWeights
    {
        get => _classWeights;
        init
        {
            int classes = Loss == LossKind.BinaryCrossEntropy && OutputWidth == 1 ? 2 : Loss == LossKind.CrossEntropy ? OutputWidth : -1;
            _classWeights = value is null || value.Count == classes ? value
                : throw new OptionException("class-weights", classes < 0
                    ? $"class weights take a cross entropy over classes (ce, or bce on one output), not {Losses.Loss.NameOf(Loss)}{(OutputWidth > 1 ? $" on {OutputWidth} outputs" : "")}."
                    : $"{value.Count} weights for {classes} classes: give one per class, in the order of the classes.");
        }
    }

    private readonly IReadOnlyList<double>? _classWeights;

    /// <summary>The loss object (<paramref name="epsilon"/>: the cross entropies' guard, 1e-7 as the course, 0 as PyTorch), with <see cref="ClassWeights"/>.</summary>
    public ILoss<T> CreateLoss<T>(double epsilon = 1e-7)
        where T : unmanaged, IFloatingPointIeee754<T> => Losses.Loss.Create<T>(Loss, epsilon, ClassWeights);

    /// <summary>
    /// What a learner should know about this head before training, each a sentence saying why (empty when nothing).
    /// </summary>
    public IReadOnlyList<string> Warnings(int classes)
    {
        var warnings = new List<string>();
        if (Output == ActivationKind.Sigmoid && classes > 2)
        {
            warnings.Add($"output sigmoid with {classes} classes: each output is a yes/no of its own, not a distribution over the classes, so the probabilities do not add up to 1; use softmax (or auto).");
        }

        if (Output == ActivationKind.Sigmoid && Loss == LossKind.CrossEntropy)
        {
            warnings.Add("output sigmoid with loss ce: cross entropy expects a distribution, which sigmoid outputs are not (it rewards every output for being large); use bce for two classes, or softmax with ce.");
        }

        return warnings;
    }

    /// <summary>True for <c>auto</c>: the part is chosen for the task.</summary>
    internal static bool IsAuto(string name) => name.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);
}
