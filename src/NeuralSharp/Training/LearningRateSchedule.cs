using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// A learning rate that changes with the epochs, as a callback that sets the optimizer's rate at the end of each epoch
/// for the next one: η(e) for e = 1, 2, … from η₀, the rate the optimizer had when the schedule was made.
/// <code>
/// Step(every k, factor γ)     η(e) = η₀ · γ^⌊(e − 1)/k⌋
/// Exponential(γ)              η(e) = η₀ · γ^(e − 1)
/// Cosine(E epochs, η_min)     η(e) = η_min + ½(η₀ − η_min)(1 + cos(π (e − 1)/E))
/// </code>
/// </summary>
public sealed class LearningRateSchedule : ITrainingCallback
{
    private readonly Action<double> _set;
    private readonly Func<int, double> _rate;

    private LearningRateSchedule(double initial, Action<double> set, Func<double, int, double> rate)
    {
        _set = set;
        _rate = epoch => rate(initial, epoch);
    }

    private static LearningRateSchedule For<T>(IOptimizer<T> optimizer, Func<double, int, double> rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return new(optimizer.LearningRate, value => optimizer.LearningRate = value, rate);
    }

    /// <summary>The rate for epoch <paramref name="epoch"/> (1-based).</summary>
    public double RateFor(int epoch) => _rate(epoch);

    /// <summary>The rate times <paramref name="factor"/> every <paramref name="every"/> epochs.</summary>
    public static LearningRateSchedule Step<T>(IOptimizer<T> optimizer, int every, double factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        return For(optimizer, (initial, epoch) => initial * Math.Pow(factor, (epoch - 1) / every));
    }

    /// <summary>The rate times <paramref name="factor"/> after every epoch.</summary>
    public static LearningRateSchedule Exponential<T>(IOptimizer<T> optimizer, double factor)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        For(optimizer, (initial, epoch) => initial * Math.Pow(factor, epoch - 1));

    /// <summary>Half a cosine from the rate down to <paramref name="minimum"/> over <paramref name="epochs"/> epochs (then the minimum).</summary>
    public static LearningRateSchedule Cosine<T>(IOptimizer<T> optimizer, int epochs, double minimum = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        return For(optimizer, (initial, epoch) => minimum + (0.5 * (initial - minimum) * (1 + Math.Cos(Math.PI * Math.Min(epoch - 1, epochs) / epochs))));
    }

    /// <inheritdoc />
    public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(epoch);
        _set(RateFor(epoch.Epoch + 1));
        return true;
    }
}
