using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// One update, shared by every way of training: forward, loss, backward, then the optimizer — guarded so that a
/// NaN or infinite loss stops training with the weights that last gave a finite loss.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingStep<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _lastFinite;

    /// <summary>Creates the step for a network, loss and optimizer.</summary>
    public TrainingStep(Sequential<T> network, ILoss<T> loss, IOptimizer<T> optimizer)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _lastFinite = [.. network.Parameters.Select(p => new T[p.Value.Length])];
    }

    /// <summary>The network being trained.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The loss minimised.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The update rule.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>Updates made so far.</summary>
    public int Count { get; private set; }

    /// <summary>Runs one update on the batch (x, d) and returns its loss (computed before the update).</summary>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite; the weights are restored.</exception>
    public double Run(Tensor<T> x, Tensor<T> d)
    {
        double loss = double.CreateChecked(Network.ComputeGradients(x, d, Loss));
        Count++;
        IReadOnlyList<Parameter<T>> parameters = Network.Parameters;
        if (!double.IsFinite(loss))
        {
            if (Count > 1)
            {
                for (int p = 0; p < parameters.Count; p++)
                {
                    _lastFinite[p].CopyTo(parameters[p].Value.AsSpan());
                }
            }

            throw new TrainingDivergedException(Count, loss, Optimizer.LearningRate);
        }

        // these weights gave a finite loss: keep them until the next step proves its own
        for (int p = 0; p < parameters.Count; p++)
        {
            parameters[p].Value.AsSpan().CopyTo(_lastFinite[p]);
        }

        Optimizer.Step(parameters);
        return loss;
    }
}
