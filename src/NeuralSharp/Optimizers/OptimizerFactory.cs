using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Creates optimizers by name (<c>sgd</c>, <c>momentum</c>, <c>nesterov</c>, <c>adagrad</c>, <c>rmsprop</c>, <c>adam</c> in
/// the course's form; <c>momentum-pytorch</c>, <c>nesterov-pytorch</c>, <c>rmsprop-pytorch</c>, <c>adam-pytorch</c> in
/// PyTorch's, see <see cref="OptimizerForm"/>; and <c>adamw</c>, PyTorch's <see cref="AdamW{T}"/>).
/// </summary>
public static class OptimizerFactory
{
    /// <summary>The names <see cref="Create{T}"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "momentum-pytorch", "nesterov-pytorch", "rmsprop-pytorch", "adam-pytorch", "adamw"];

    /// <summary>The optimizer of that name, with its default learning rate unless one is given.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Optimizer<T> Create<T>(string name, double? learningRate = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        Optimizer<T> optimizer = name.Trim().ToLowerInvariant() switch
        {
            "sgd" => new Sgd<T>(),
            "momentum" => new Momentum<T>(),
            "nesterov" => new Momentum<T>(nesterov: true),
            "momentum-pytorch" => new Momentum<T>(form: OptimizerForm.PyTorch),
            "nesterov-pytorch" => new Momentum<T>(form: OptimizerForm.PyTorch, nesterov: true),
            "adagrad" => new AdaGrad<T>(),
            "rmsprop" => new RmsProp<T>(),
            "adam" => new Adam<T>(),
            "rmsprop-pytorch" => new RmsProp<T>(form: OptimizerForm.PyTorch),
            "adam-pytorch" => new Adam<T>(form: OptimizerForm.PyTorch),
            "adamw" => new AdamW<T>(),
            _ => throw new ArgumentException($"Unknown optimizer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
        if (learningRate is { } rate)
        {
            optimizer.LearningRate = rate;
        }

        return optimizer;
    }
}
