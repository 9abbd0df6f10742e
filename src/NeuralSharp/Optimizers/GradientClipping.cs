using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Layers;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Gradient clipping by global norm, around any optimizer: before each update, every gradient is scaled by the same
/// factor so that their joint length is at most <see cref="MaxNorm"/> — the course's answer to exploding gradients
/// (Deep Learning from Scratch vol. 2 §5.5.1) and PyTorch's <c>clip_grad_norm_</c>, its 10⁻⁶ included:
/// <code>
/// ‖g‖ = √(Σ over every parameter's gradient of g²)       rate = max_norm / (‖g‖ + 10⁻⁶)
/// if rate &lt; 1:  g ← rate · g          then the wrapped optimizer's step
/// </code>
/// The direction of the step is kept; only its length is bounded.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GradientClipping<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps <paramref name="optimizer"/>, clipping the gradients' global norm at <paramref name="maxNorm"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bound is not a positive finite number.</exception>
    public GradientClipping(IOptimizer<T> optimizer, double maxNorm)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        if (!double.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest gradient norm must be a positive number.");
        }

        MaxNorm = maxNorm;
    }

    /// <summary>The optimizer that takes the clipped gradients.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>The largest global gradient norm let through.</summary>
    public double MaxNorm { get; }

    /// <summary>The global norm of the last step's gradients, before clipping.</summary>
    public double LastNorm { get; private set; }

    /// <summary>The steps whose gradients were scaled down so far.</summary>
    public int ClippedSteps { get; private set; }

    /// <inheritdoc />
    public string Name => Optimizer.Name;

    /// <inheritdoc />
    public double LearningRate
    {
        get => Optimizer.LearningRate;
        set => Optimizer.LearningRate = value;
    }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        LastNorm = GlobalNorm(parameters);
        double rate = MaxNorm / (LastNorm + 1e-6);
        if (rate < 1)
        {
            ClippedSteps++;
            T factor = T.CreateChecked(rate);
            foreach (Parameter<T> parameter in parameters)
            {
                TensorPrimitives.Multiply(parameter.Gradient.AsSpan(), factor, parameter.Gradient.AsSpan());
            }
        }

        Optimizer.Step(parameters);
    }

    /// <summary>‖g‖ over every parameter's gradient, summed in double precision.</summary>
    public static double GlobalNorm(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (Parameter<T> parameter in parameters)
        {
            foreach (T g in parameter.Gradient.AsSpan())
            {
                double value = double.CreateTruncating(g);
                sum += value * value;
            }
        }

        return Math.Sqrt(sum);
    }
}
