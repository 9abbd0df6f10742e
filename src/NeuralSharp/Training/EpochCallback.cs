using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Training;

/// <summary>A callback from a lambda: <c>new EpochCallback(e =&gt; Console.WriteLine(e.TrainLoss))</c>, e.g. for progress.</summary>
public sealed class EpochCallback : ITrainingCallback
{
    private readonly Func<EpochRecord, bool> _onEpochEnd;

    /// <summary>Wraps a function that returns false to stop training.</summary>
    public EpochCallback(Func<EpochRecord, bool> onEpochEnd) => _onEpochEnd = onEpochEnd ?? throw new ArgumentNullException(nameof(onEpochEnd));

    /// <summary>Wraps an action; training always goes on.</summary>
    public EpochCallback(Action<EpochRecord> onEpochEnd)
    {
        ArgumentNullException.ThrowIfNull(onEpochEnd);
        _onEpochEnd = record =>
        {
            onEpochEnd(record);
            return true;
        };
    }

    /// <inheritdoc />
    public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T> => _onEpochEnd(epoch);
}
