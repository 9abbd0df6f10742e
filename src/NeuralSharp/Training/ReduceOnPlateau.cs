using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// Lowers the learning rate when the loss stops improving, as PyTorch's <c>ReduceLROnPlateau(mode='min')</c> and Keras's
/// callback of that name: after <see cref="Patience"/> epochs in a row without a loss below the best so far (by more
/// than a relative <c>1e-4</c>, PyTorch's threshold), <c>η ← max(η·factor, η_min)</c>, and the count starts again. It
/// watches the validation loss, or the training loss where there is none.
/// </summary>
public sealed class ReduceOnPlateau : ITrainingCallback
{
    private readonly Func<double> _get;
    private readonly Action<double> _set;
    private double _best = double.PositiveInfinity;
    private int _waited;

    private ReduceOnPlateau(Func<double> get, Action<double> set, int patience, double factor, double minimum)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor lowers the rate: it lies in (0, 1).");
        }

        (_get, _set, Patience, Factor, Minimum) = (get, set, patience, factor, minimum);
    }

    /// <summary>Watches <paramref name="optimizer"/>'s training; PyTorch's defaults: patience 10, factor 0.1.</summary>
    public static ReduceOnPlateau For<T>(IOptimizer<T> optimizer, int patience = 10, double factor = 0.1, double minimum = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return new ReduceOnPlateau(() => optimizer.LearningRate, rate => optimizer.LearningRate = rate, patience, factor, minimum);
    }

    /// <summary>Epochs without improvement before the rate is lowered.</summary>
    public int Patience { get; }

    /// <summary>What the rate is multiplied by.</summary>
    public double Factor { get; }

    /// <summary>The lowest rate.</summary>
    public double Minimum { get; }

    /// <summary>How many times the rate was lowered.</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc />
    public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(epoch);
        double loss = epoch.WatchedLoss;
        if (loss < _best * (1 - 1e-4))
        {
            (_best, _waited) = (loss, 0);
        }
        else if (++_waited > Patience)
        {
            double lowered = Math.Max(_get() * Factor, Minimum);
            if (lowered < _get())
            {
                _set(lowered);
                Reductions++;
            }

            _waited = 0;
        }

        return true;
    }
}
