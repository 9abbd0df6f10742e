using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Training;

/// <summary>
/// Something that watches training: a progress bar, a checkpoint writer, a live plot, a learning-rate schedule. It is
/// told every epoch's end and, where it asks, every step's start and end (a schedule that changes the rate per batch,
/// a log of every loss); the trainer calls them without allocating.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Called after each epoch with its record; return false to stop training.</summary>
    bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Called before each update with its number, counted from the run's first (0), e.g. to set the step's learning rate.</summary>
    void OnStepStart(int step)
    {
    }

    /// <summary>Called after each update with its number and its batch's loss; return false to stop training (the epoch under way gets its record).</summary>
    bool OnStepEnd(int step, double loss) => true;
}
