using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// The training engine: one update — forward, loss, backward, optimizer — that every way of training uses
/// (<see cref="Trainer{T}"/> in each <see cref="DescentMode"/>, <see cref="OnlineLearner{T}"/>, the command line and the
/// playground). It picks its fast path by itself (<see cref="Path"/>), and guards the run: a NaN or infinite loss
/// stops training with the weights that last gave a finite loss.
/// </summary>
/// <remarks>
/// Paths, in order of preference: <see cref="TrainingPath.SmallNetwork"/> for one sample through a small dense network
/// with SGD and squared error; <see cref="TrainingPath.FusedSgd"/> for plain SGD without regularisation;
/// <see cref="TrainingPath.LayerByLayer"/> for every other optimizer of the library (L2/L1 included); and
/// <see cref="TrainingPath.WholeNetwork"/> for an <see cref="IOptimizer{T}"/> written elsewhere. All give the update
/// of <see cref="Sequential{T}.ComputeGradients"/> followed by the optimizer's <c>Step</c>, up to rounding. Nothing is
/// allocated per step once each batch size has been seen.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingStep<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<ILayer<T>> _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly int[] _firstParameter;
    private NDArray<T>[] _lastFinite;
    private NDArray<T>[] _beforeSmallStep;
    private readonly SmallNetworkStep<T>? _small;
    private readonly FusedDescent<T> _fused;
    private readonly NDArray<T> _sampleX;
    private readonly NDArray<T> _sampleRow;
    private readonly NDArray<T> _sampleClass;

    /// <summary>Creates the step for a network, loss and optimizer.</summary>
    public TrainingStep(Sequential<T> network, ILoss<T> loss, IOptimizer<T> optimizer)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _layers = network.Layers;
        _parameters = [.. network.Parameters];
        _firstParameter = new int[_layers.Count + 1];
        for (int i = 0; i < _layers.Count; i++)
        {
            _firstParameter[i + 1] = _firstParameter[i] + _layers[i].Parameters.Count;
        }

        _lastFinite = [.. _parameters.Select(p => new NDArray<T>(p.Shape))];
        _small = SmallNetworkStep<T>.For(network, loss);
        _fused = new FusedDescent<T>(network.Layers.Count);
        _beforeSmallStep = _small is null ? [] : [.. _parameters.Select(p => new NDArray<T>(p.Shape))];
        _sampleX = new NDArray<T>(1, network.InputWidth);
        _sampleRow = new NDArray<T>(1, network.OutputWidth);
        _sampleClass = new NDArray<T>(new Shape(1));
    }

    /// <summary>The network being trained.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The loss minimised.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The update rule.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>Updates made so far.</summary>
    public int Count { get; private set; }

    /// <summary>How the last step ran.</summary>
    public TrainingPath Path { get; private set; }

    /// <summary>
    /// Whether each step scans x and d for NaN and ±∞ (default on). <see cref="Trainer{T}"/> checks its data set once and
    /// turns this off; shapes are checked either way.
    /// </summary>
    public bool CheckValues { get; set; } = true;

    /// <summary>Runs one update on the batch (x, d) and returns its loss (computed before the update).</summary>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite; the weights are restored.</exception>
    public double Run(NDArray<T> x, NDArray<T> d)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(d);
        return x.Rows == 1 && x.Rank == 2 && d.Rank == 2 && TrySmallNetwork(x.AsSpan(), d.AsSpan(), out double smallLoss)
            ? smallLoss
            : RunBatch(x, d);
    }

    private double RunBatch(NDArray<T> x, NDArray<T> d)
    {
        double loss = double.CreateChecked(Network.ForwardToDelta(x, d, Loss, out NDArray<T> delta, out int last, CheckValues));
        Count++;
        StopIfDiverged(loss);
        if (Optimizer is not Optimizer<T> optimizer)
        {
            Path = TrainingPath.WholeNetwork;
            Backward(last, delta, null, fuseSgd: false);
            Keep(_lastFinite, 0, _parameters.Length);
            Optimizer.Step(_parameters);
            return loss;
        }

        // fused when the optimizer's step is plain W ← W − η·∂E/∂W (a capability of the optimizer, not its type)
        bool fuse = optimizer.IsPlainDescent;
        Path = fuse ? TrainingPath.FusedSgd : TrainingPath.LayerByLayer;
        optimizer.BeginStep();
        Backward(last, delta, optimizer, fuse);
        return loss;
    }

    /// <summary>
    /// Runs one update on a single sample: <paramref name="x"/> of <see cref="Sequential{T}.InputWidth"/> features and
    /// <paramref name="d"/> either as wide as the output or one class index (for cross entropy over a softmax).
    /// </summary>
    /// <exception cref="ShapeMismatchException">x or d has the wrong length.</exception>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite; the weights are restored.</exception>
    public double Run(ReadOnlySpan<T> x, ReadOnlySpan<T> d)
    {
        if (x.Length != Network.InputWidth || (d.Length != Network.OutputWidth && d.Length != 1))
        {
            throw new ShapeMismatchException(
                $"A sample for this network has {Network.InputWidth} features and {Network.OutputWidth} targets (or one class index), but got {x.Length} and {d.Length}.");
        }

        if (d.Length == Network.OutputWidth && TrySmallNetwork(x, d, out double smallLoss))
        {
            return smallLoss;
        }

        x.CopyTo(_sampleX.AsSpan());
        NDArray<T> target = d.Length == Network.OutputWidth ? _sampleRow : _sampleClass;
        d.CopyTo(target.AsSpan());
        return RunBatch(_sampleX, target);
    }

    /// <summary>
    /// Checks the weights the last update left, which no loss has judged yet: if any is NaN or infinite, the network
    /// goes back to the last weights that gave a finite loss and training is reported as diverged. <see cref="Trainer{T}"/>
    /// calls this when it finishes.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A weight is not finite; the weights are restored.</exception>
    public void CheckWeights()
    {
        foreach (Parameter<T> parameter in _parameters)
        {
            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(parameter.Value.AsSpan()))
            {
                Restore(_lastFinite);
                throw new TrainingDivergedException(Count + 1, double.NaN, Optimizer.LearningRate);
            }
        }
    }

    private bool TrySmallNetwork(ReadOnlySpan<T> x, ReadOnlySpan<T> d, out double loss)
    {
        loss = 0;
        if (_small is null || Optimizer is not Sgd<T> { IsPlainDescent: true } sgd || x.Length != Network.InputWidth || d.Length != Network.OutputWidth)
        {
            return false;
        }

        if (CheckValues)
        {
            Guard.AllFinite(x, x.Length, "Input x");
            Guard.AllFinite(d, d.Length, "Targets d");
        }

        Path = TrainingPath.SmallNetwork;
        Count++;
        // this path learns the loss only after the update: the step keeps the weights before it as it updates them,
        // and once their loss proves finite they become the last finite ones (the two sets of buffers swap)
        sgd.BeginStep();
        loss = double.CreateChecked(_small.Step(x, d, T.CreateChecked(sgd.LearningRate), _beforeSmallStep));
        if (!double.IsFinite(loss))
        {
            Restore(Count > 1 ? _lastFinite : _beforeSmallStep);
            throw new TrainingDivergedException(Count, loss, Optimizer.LearningRate);
        }

        (_lastFinite, _beforeSmallStep) = (_beforeSmallStep, _lastFinite);
        return true;
    }

    /// <summary>
    /// The backward pass from δ at layer <paramref name="last"/>; each layer's parameters are kept (for the divergence
    /// guard) and updated right after the layer has passed δ on, while its gradients are in cache.
    /// </summary>
    private void Backward(int last, NDArray<T> delta, Optimizer<T>? optimizer, bool fuseSgd)
    {
        NDArray<T>? gradient = delta;
        T eta = T.CreateChecked(Optimizer.LearningRate);
        for (int i = last; i >= 0 && gradient is not null; i--)
        {
            ILayer<T> layer = _layers[i];
            bool needInputGradient = i > 0;
            if (fuseSgd && layer is IAffineLayer<T> affine)
            {
                Keep(_lastFinite, _firstParameter[i], _firstParameter[i + 1]);
                gradient = _fused.Step(i, affine, gradient, eta, needInputGradient);
                continue;
            }

            if (needInputGradient)
            {
                gradient = layer.Backward(gradient);
            }
            else
            {
                layer.BackwardToParameters(gradient);
                gradient = null;
            }

            if (optimizer is not null)
            {
                Keep(_lastFinite, _firstParameter[i], _firstParameter[i + 1]);
                for (int p = _firstParameter[i]; p < _firstParameter[i + 1]; p++)
                {
                    optimizer.Update(_parameters[p]);
                }
            }
        }
    }

    /// <summary>A NaN or infinite loss: the weights that gave it are replaced by the last ones that gave a finite loss.</summary>
    private void StopIfDiverged(double loss)
    {
        if (!double.IsFinite(loss))
        {
            if (Count > 1)
            {
                Restore(_lastFinite);
            }

            throw new TrainingDivergedException(Count, loss, Optimizer.LearningRate);
        }
    }

    /// <summary>
    /// Copies parameters <paramref name="from"/> … <paramref name="to"/> − 1 into <paramref name="into"/>: into the last
    /// finite weights just before an update (they gave a finite loss; kept until the next step proves its own), or, on
    /// the small-network path, into the weights before its step.
    /// </summary>
    private void Keep(NDArray<T>[] into, int from, int to)
    {
        for (int p = from; p < to; p++)
        {
            Kernels.Copy.Run<T>(_parameters[p].Value.AsSpan(), into[p].AsSpan());
        }
    }

    private void Restore(NDArray<T>[] kept)
    {
        for (int p = 0; p < _parameters.Length; p++)
        {
            kept[p].AsSpan().CopyTo(_parameters[p].Value.AsSpan());
        }
    }
}
