using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Training;

namespace NeuralSharp.Serialization;

/// <summary>
/// Saves the model after each epoch (or only when the validation loss improves), atomically, so a crash or a
/// stopped run leaves the last good model on disk.
/// </summary>
/// <typeparam name="TModel">The element type of the saved model.</typeparam>
public sealed class Checkpoint<TModel> : ITrainingCallback
    where TModel : unmanaged, IFloatingPointIeee754<TModel>
{
    private readonly Model<TModel> _model;
    private double _best = double.PositiveInfinity;

    /// <summary>Creates the callback for the model whose network is being trained.</summary>
    public Checkpoint(string path, Model<TModel> model, bool onlyWhenBetter = false)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        _model = model ?? throw new ArgumentNullException(nameof(model));
        OnlyWhenBetter = onlyWhenBetter;
    }

    /// <summary>Where the model is written.</summary>
    public string Path { get; }

    /// <summary>Save only when the validation loss (or, without validation data, the training loss) improves.</summary>
    public bool OnlyWhenBetter { get; }

    /// <summary>How many times the model was written.</summary>
    public int Saves { get; private set; }

    /// <inheritdoc />
    public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(epoch);
        double loss = epoch.WatchedLoss;
        if (!OnlyWhenBetter || loss < _best)
        {
            _best = Math.Min(_best, loss);
            ModelFile.Save(Path, _model);
            Saves++;
        }

        return true;
    }
}
