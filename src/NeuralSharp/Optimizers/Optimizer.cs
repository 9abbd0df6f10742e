using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Optimizers;

/// <summary>
/// What every optimizer shares: the learning rate, L2/L1 regularisation added to the gradient of each weight matrix
/// (not of biases, as in Deep Learning from Scratch), a step counter, and per-parameter state created on first use.
/// </summary>
/// <remarks>
/// Regularisation changes the gradient in place before the update rule sees it:
/// L2 (weight decay) <c>g ← g + λ₂·W</c>, the gradient of <c>½λ₂‖W‖²</c>; L1 <c>g ← g + λ₁·sign(W)</c>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Optimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, T[][]> _state = [];

    /// <summary>Creates the optimizer.</summary>
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <summary>λ₂ of L2 regularisation (weight decay); 0 for none.</summary>
    public double WeightDecay { get; set; }

    /// <summary>λ₁ of L1 regularisation; 0 for none.</summary>
    public double L1 { get; set; }

    /// <summary>The number of updates applied so far (t in Adam's bias correction).</summary>
    public int Steps { get; private set; }

    /// <summary>How many state arrays the update rule keeps per parameter (velocity, squared-gradient sums…).</summary>
    protected virtual int StateSlots => 0;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Steps++;
        T decay = T.CreateChecked(WeightDecay), l1 = T.CreateChecked(L1);
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter<T> parameter = parameters[p];
            Span<T> w = parameter.Value.AsSpan(), g = parameter.Gradient.AsSpan();
            if (parameter.Value.Rank == 2 && (decay != T.Zero || l1 != T.Zero))
            {
                for (int i = 0; i < w.Length; i++)
                {
                    // g ← g + λ₂·W + λ₁·sign(W)
                    g[i] += (decay * w[i]) + (l1 * T.CreateTruncating(T.Sign(w[i])));
                }
            }

            Update(w, g, State(parameter));
        }
    }

    /// <summary>Forgets all state (velocities, sums, step count), as for a fresh start.</summary>
    public void Reset()
    {
        _state.Clear();
        Steps = 0;
    }

    /// <summary>Applies the update rule to one parameter's values <paramref name="w"/> given its gradient.</summary>
    protected abstract void Update(Span<T> w, ReadOnlySpan<T> g, T[][] state);

    private T[][] State(Parameter<T> parameter)
    {
        if (!_state.TryGetValue(parameter, out T[][]? state))
        {
            state = new T[StateSlots][];
            for (int i = 0; i < StateSlots; i++)
            {
                state[i] = new T[parameter.Value.Length];
            }

            _state[parameter] = state;
        }

        return state;
    }
}
