using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// Online learning: the model learns from each sample as it arrives — one forward pass, one backward pass, one update —
/// with no stored data set and no epochs. Feed it samples one by one, or a whole stream.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class OnlineLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingStep<T> _step;
    private readonly Tensor<T> _x;
    private readonly Tensor<T> _d;
    private readonly List<double> _losses = [];

    /// <summary>
    /// Creates a learner. Each target is a row as wide as the output, or — with <paramref name="classIndexTargets"/> —
    /// one class index (for cross entropy over a softmax).
    /// </summary>
    public OnlineLearner(Sequential<T> network, ILoss<T> loss, IOptimizer<T> optimizer, bool classIndexTargets = false)
    {
        _step = new TrainingStep<T>(network, loss, optimizer);
        _x = new Tensor<T>(1, network.InputWidth);
        _d = classIndexTargets ? new Tensor<T>(new Shape(1)) : new Tensor<T>(1, network.OutputWidth);
    }

    /// <summary>The network being trained.</summary>
    public Sequential<T> Network => _step.Network;

    /// <summary>The loss of every sample learned so far, in order.</summary>
    public IReadOnlyList<double> Losses => _losses;

    /// <summary>Samples learned so far.</summary>
    public int Count => _step.Count;

    /// <summary>Learns from one sample; returns its loss before the update.</summary>
    /// <exception cref="ShapeMismatchException">x or d has the wrong length.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public double Learn(ReadOnlySpan<T> x, ReadOnlySpan<T> d)
    {
        if (x.Length != _x.Length || d.Length != _d.Length)
        {
            throw new ShapeMismatchException(
                $"Online learner expects samples of {_x.Length} features and {_d.Length} targets but got {x.Length} and {d.Length}.");
        }

        x.CopyTo(_x.AsSpan());
        d.CopyTo(_d.AsSpan());
        double loss = _step.Run(_x, _d);
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
