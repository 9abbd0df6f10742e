using System.Numerics;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;

namespace NeuralSharp.Optimizers;

/// <summary>
/// What every optimizer shares: the learning rate, regularisation added to the gradient, a step counter, and
/// per-parameter state created on first use. The update itself is each optimizer's <see cref="IUpdateRule{T}"/>, run
/// vectorised by one driver.
/// </summary>
/// <remarks>
/// Regularisation changes the gradient the update rule sees (the stored gradient is left as the backward pass wrote
/// it), in the two meanings "weight decay" has:
/// <list type="bullet">
/// <item><see cref="WeightDecay"/>, the book's L2: <c>g ← g + λ₂·W</c> (the gradient of <c>½λ₂‖W‖²</c>) for the weight
/// matrices only — biases, and batch normalisation's γ and β, are not decayed. <see cref="L1"/> likewise,
/// <c>g ← g + λ₁·sign(W)</c>.</item>
/// <item><see cref="CoupledWeightDecay"/>, <c>torch.optim</c>'s <c>weight_decay</c> (SGD, Adam, RMSprop, Adagrad):
/// <c>g ← g + λ·W</c> for every parameter, biases included. A recipe ported from PyTorch sets this one.</item>
/// </list>
/// Decoupled decay, which shrinks the weights apart from the gradient, is <see cref="AdamW{T}"/>'s.
/// The training engine calls <see cref="BeginStep"/> and then <see cref="Update"/> for each parameter as soon as the
/// backward pass has written its gradient (while it is still in cache); <see cref="Step"/> does both at once.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Optimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, AlignedArray<T>[]> _state = [];

    /// <summary>Creates the optimizer.</summary>
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <summary>λ₂ of L2 regularisation (the book's weight decay), on the weight matrices only, not biases; 0 for none.</summary>
    public double WeightDecay { get; set; }

    /// <summary>λ₁ of L1 regularisation, on the weight matrices only; 0 for none.</summary>
    public double L1 { get; set; }

    /// <summary>λ of PyTorch's (coupled) <c>weight_decay</c>: <c>λ·W</c> added to the gradient of every parameter, biases included; 0 for none.</summary>
    public double CoupledWeightDecay { get; set; }

    /// <summary>True when the gradient is changed before the rule sees it (any decay or L1).</summary>
    internal bool Regularised => WeightDecay != 0 || L1 != 0 || CoupledWeightDecay != 0;

    /// <summary>True when a step is plain gradient descent, <c>W ← W − η·∂E/∂W</c> with nothing added (the engine then fuses it into the backward pass).</summary>
    internal virtual bool IsPlainDescent => false;

    /// <summary>The number of updates applied so far (t in Adam's bias correction).</summary>
    public int Steps { get; private set; }

    /// <summary>How many state arrays the update rule keeps per parameter (velocity, squared-gradient sums…).</summary>
    private protected abstract int StateSlots { get; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        BeginStep();
        for (int p = 0; p < parameters.Count; p++)
        {
            Update(parameters[p]);
        }
    }

    /// <summary>Starts an update of every parameter: <c>t ← t + 1</c>. Then call <see cref="Update"/> for each.</summary>
    public void BeginStep() => Steps++;

    /// <summary>Moves one parameter by the update rule, from its current <see cref="Parameter{T}.Gradient"/>.</summary>
    public void Update(Parameter<T> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (Steps == 0)
        {
            throw new InvalidOperationException($"{Name}: call BeginStep before Update (or Step for all parameters).");
        }

        AlignedArray<T>[] state = State(parameter);
        bool weights = parameter.Value.Rank == 2;
        Apply(
            parameter.Value.AsSpan(),
            parameter.Gradient.AsSpan(),
            state.Length >= 1 ? state[0].AsSpan() : default,
            state.Length >= 2 ? state[1].AsSpan() : default,
            T.CreateChecked((weights ? WeightDecay : 0) + CoupledWeightDecay),
            weights ? T.CreateChecked(L1) : T.Zero);
    }

    /// <summary>
    /// The optimizer's memory of <paramref name="parameters"/> (velocities, squared-gradient sums; zeros where a
    /// parameter has none yet), one array per parameter and slot in that order, with the step count: what a checkpoint
    /// keeps so that training resumed from it takes exactly the steps it would have taken.
    /// </summary>
    public (T[][] State, int Steps) ExportState(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ([.. parameters.SelectMany(p => State(p).Select(slot => slot.AsSpan().ToArray()))], Steps);
    }

    /// <summary>Restores what <see cref="ExportState"/> gave, for the same parameters' shapes.</summary>
    /// <exception cref="ShapeMismatchException">The state does not fit these parameters.</exception>
    public void ImportState(IReadOnlyList<Parameter<T>> parameters, T[][] state, int steps)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length != parameters.Count * StateSlots || steps < 0)
        {
            throw new ShapeMismatchException($"{Name}: a state of {state.Length} arrays does not fit {parameters.Count} parameters with {StateSlots} slots each.");
        }

        for (int p = 0; p < parameters.Count; p++)
        {
            AlignedArray<T>[] slots = State(parameters[p]);
            for (int s = 0; s < StateSlots; s++)
            {
                T[] values = state[(p * StateSlots) + s];
                if (values.Length != parameters[p].Value.Length)
                {
                    throw new ShapeMismatchException($"{Name}: state {s} of parameter {p} holds {values.Length} values, not {parameters[p].Value.Length}.");
                }

                values.CopyTo(slots[s].AsSpan());
            }
        }

        Steps = steps;
    }

    /// <summary>Forgets all state (velocities, sums, step count), as for a fresh start.</summary>
    public void Reset()
    {
        _state.Clear();
        Steps = 0;
    }

    /// <summary>
    /// Applies the update rule to one parameter's values <paramref name="w"/> given its gradient and state, with the
    /// regularisation <paramref name="decay"/> and <paramref name="l1"/> (zero for biases); see <see cref="RuleOptimizer{T, TRule}"/>.
    /// </summary>
    private protected abstract void Apply(Span<T> w, ReadOnlySpan<T> g, Span<T> first, Span<T> second, T decay, T l1);

    private AlignedArray<T>[] State(Parameter<T> parameter)
    {
        if (!_state.TryGetValue(parameter, out AlignedArray<T>[]? state))
        {
            state = new AlignedArray<T>[StateSlots];
            for (int i = 0; i < StateSlots; i++)
            {
                state[i] = new AlignedArray<T>(parameter.Value.Length);
            }

            _state[parameter] = state;
        }

        return state;
    }
}
