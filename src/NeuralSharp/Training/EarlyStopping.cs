using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Training;

/// <summary>
/// Stops training after <c>patience</c> epochs without a lower validation loss, and puts back the weights of the
/// best epoch.
/// </summary>
internal sealed class EarlyStopping<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequential<T> _network;
    private readonly int? _patience;
    private readonly T[][] _best;
    private double _bestLoss = double.PositiveInfinity;
    private int _bestEpoch;

    public EarlyStopping(Sequential<T> network, int? patience)
    {
        _network = network;
        _patience = patience;
        _best = patience is null ? [] : [.. network.Parameters.Select(p => new T[p.Value.Length])];
    }

    public bool Stopped { get; private set; }

    public bool ShouldStop(EpochRecord record)
    {
        if (_patience is not { } patience || double.IsNaN(record.ValidationLoss))
        {
            return false;
        }

        if (record.ValidationLoss < _bestLoss)
        {
            _bestLoss = record.ValidationLoss;
            _bestEpoch = record.Epoch;
            for (int p = 0; p < _best.Length; p++)
            {
                _network.Parameters[p].Value.AsSpan().CopyTo(_best[p]);
            }

            return false;
        }

        Stopped = record.Epoch - _bestEpoch >= patience;
        return Stopped;
    }

    /// <summary>Restores the best weights if early stopping watched; returns the epoch the network now holds.</summary>
    public int Finish(int lastEpoch)
    {
        if (_patience is null || _bestEpoch == 0)
        {
            return lastEpoch;
        }

        for (int p = 0; p < _best.Length; p++)
        {
            _best[p].CopyTo(_network.Parameters[p].Value.AsSpan());
        }

        return _bestEpoch;
    }
}
