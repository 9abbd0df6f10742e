using System.Numerics;

namespace NeuralSharp.Losses;

/// <summary>The losses a run can choose by name; <see cref="Loss"/> creates them.</summary>
public enum LossKind
{
    /// <summary>½ squared error, mean over elements (the course's <c>mean_squared_error</c>): <c>mse</c>.</summary>
    SquaredError,

    /// <summary>½ squared error summed over outputs, mean over the batch (TensorFlow Playground's): <c>mse-sum</c>.</summary>
    SquaredErrorSum,

    /// <summary>Cross entropy over a softmax (class indices or one-hot rows): <c>ce</c>.</summary>
    CrossEntropy,

    /// <summary>Binary cross entropy over sigmoid outputs: <c>bce</c>.</summary>
    BinaryCrossEntropy,
}

/// <summary>Creates losses by <see cref="LossKind"/> or by name.</summary>
public static class Loss
{
    /// <summary>The names <see cref="Parse"/> takes, in <see cref="LossKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mse", "mse-sum", "ce", "bce"];

    /// <summary>The short name of a kind, e.g. <c>ce</c>.</summary>
    public static string NameOf(LossKind kind) => Names[(int)kind];

    /// <summary>The kind a name stands for.</summary>
    /// <exception cref="ArgumentException">Not a loss; the message lists the known ones.</exception>
    public static LossKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int at = Array.IndexOf([.. Names], name.Trim().ToLowerInvariant());
        return at >= 0 ? (LossKind)at : throw new ArgumentException($"unknown loss '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// The loss of that kind. <paramref name="epsilon"/> is the cross entropies' guard inside the logarithm (the course's
    /// 1e-7 by default; 0 for PyTorch's <c>F.cross_entropy</c> and for gradient checks).
    /// </summary>
    public static ILoss<T> Create<T>(LossKind kind, double epsilon = 1e-7, IReadOnlyList<double>? classWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
        {
            _ when classWeights is not null && kind is not (LossKind.CrossEntropy or LossKind.BinaryCrossEntropy) =>
                throw new ArgumentException($"Class weights take a cross entropy, not {NameOf(kind)}.", nameof(classWeights)),
            LossKind.SquaredError => new SquaredError<T>(),
            LossKind.SquaredErrorSum => new SquaredError<T>(SquaredErrorReduction.SumPerSample),
            LossKind.CrossEntropy => new CrossEntropy<T>(epsilon, classWeights),
            LossKind.BinaryCrossEntropy => new BinaryCrossEntropy<T>(epsilon, classWeights),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss."),
        };

    /// <summary>The kind of a loss object (for a trainer given a loss rather than a task head).</summary>
    public static LossKind KindOf<T>(ILoss<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T> => loss switch
        {
            SquaredError<T> { Reduction: SquaredErrorReduction.SumPerSample } => LossKind.SquaredErrorSum,
            SquaredError<T> => LossKind.SquaredError,
            BinaryCrossEntropy<T> => LossKind.BinaryCrossEntropy,
            CrossEntropy<T> => LossKind.CrossEntropy,
            _ => loss.FusedActivation == Activations.ActivationKind.Softmax ? LossKind.CrossEntropy : LossKind.SquaredError,
        };
}
