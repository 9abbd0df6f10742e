using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// Online learning: the model learns from each sample as it arrives — one forward pass, one backward pass, one update —
/// with no stored data set and no epochs. Feed it samples one by one, or a whole stream. Each sample is one step of
/// the training engine (<see cref="TrainingStep{T}"/>), which takes its small-network path where it applies.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class OnlineLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingStep<T> _step;
    private readonly int _targetWidth;
    private readonly List<double> _losses = [];

    /// <summary>
    /// Creates a learner. Each target is a row as wide as the output, or — with <paramref name="classIndexTargets"/> —
    /// one class index (for cross entropy over a softmax).
    /// </summary>
    public OnlineLearner(Sequential<T> network, ILoss<T> loss, IOptimizer<T> optimizer, bool classIndexTargets = false)
    {
        _step = new TrainingStep<T>(network, loss, optimizer);
        _targetWidth = classIndexTargets ? 1 : network.OutputWidth;
    }

    /// <summary>The network being trained.</summary>
    public Sequential<T> Network => _step.Network;

    /// <summary>The loss of every sample learned so far, in order.</summary>
    public IReadOnlyList<double> Losses => _losses;

    /// <summary>Samples learned so far.</summary>
    public int Count => _step.Count;

    /// <summary>How the engine ran the last sample.</summary>
    public TrainingPath Path => _step.Path;

    /// <summary>Learns from one sample; returns its loss before the update.</summary>
    /// <exception cref="ShapeMismatchException">x or d has the wrong length.</exception>
    /// <exception cref="NonFiniteValueException">x or d holds NaN or ±∞.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public double Learn(ReadOnlySpan<T> x, ReadOnlySpan<T> d)
    {
        if (x.Length != Network.InputWidth || d.Length != _targetWidth)
        {
            throw new ShapeMismatchException(
                $"Online learner expects samples of {Network.InputWidth} features and {_targetWidth} targets but got {x.Length} and {d.Length}.");
        }

        double loss = _step.Run(x, d);
        _losses.Add(loss);
        return loss;
    }

    /// <summary>Learns from every sample of a stream, in order; returns the mean loss.</summary>
    public double Learn(IEnumerable<(T[] X, T[] D)> stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        double sum = 0;
        int count = 0;
        foreach ((T[] x, T[] d) in stream)
        {
            sum += Learn(x, d);
            count++;
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Learns from every sample of an asynchronous stream as it arrives; returns the mean loss.</summary>
    public async Task<double> LearnAsync(IAsyncEnumerable<(T[] X, T[] D)> stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        double sum = 0;
        int count = 0;
        await foreach ((T[] x, T[] d) in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            sum += Learn(x, d);
            count++;
        }

        return count == 0 ? double.NaN : sum / count;
    }
}
