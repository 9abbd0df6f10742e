using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Training;

/// <summary>Something that watches training: a progress bar, a checkpoint writer, a live plot.</summary>
public interface ITrainingCallback
{
    /// <summary>Called after each epoch with its record; return false to stop training.</summary>
    bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
