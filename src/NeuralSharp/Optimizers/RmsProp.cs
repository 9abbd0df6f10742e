using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// RMSProp (Tieleman and Hinton, 2012): AdaGrad with a decaying average instead of a sum,
/// <c>h ← ρ·h + (1 − ρ)·g²</c>, <c>W ← W − η·g / (√h + ε)</c>. Defaults η = 0.01, ρ = 0.99.
/// </summary>
/// <remarks>
/// Both books write the same rule; they differ in ε and in the name of the decay: Deep Learning from Scratch's
/// <c>decay_rate</c> ρ = 0.99 with ε = 1e-7 (<see cref="OptimizerForm.Course"/>, the default), PyTorch's
/// <c>RMSprop(alpha=0.99, eps=1e-8)</c> (<see cref="OptimizerForm.PyTorch"/>; α there is ρ here).
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RmsProp<T> : RuleOptimizer<T, RmsPropRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer; ε is 1e-7 in the course's form and 1e-8 in PyTorch's unless set.</summary>
    public RmsProp(double learningRate = 0.01, double decayRate = 0.99, OptimizerForm form = OptimizerForm.Course)
        : base(learningRate)
    {
        DecayRate = decayRate;
        Form = form;
        Epsilon = form == OptimizerForm.PyTorch ? 1e-8 : 1e-7;
    }

    /// <summary>ρ (PyTorch's α), the weight of the old average.</summary>
    public double DecayRate { get; set; }

    /// <summary>ε, the guard added to √h.</summary>
    public double Epsilon { get; set; }

    /// <summary>Which book's defaults this follows.</summary>
    public OptimizerForm Form { get; }

    /// <inheritdoc />
    public override string Name => Form == OptimizerForm.PyTorch ? "rmsprop-pytorch" : "rmsprop";

    /// <inheritdoc />
    private protected override RmsPropRule<T> Rule() => new(T.CreateChecked(LearningRate), T.CreateChecked(DecayRate), T.CreateChecked(Epsilon));
}

/// <summary>RMSProp's rule: <c>h ← ρ·h + (1 − ρ)·g²</c>, <c>W ← W − η·g / (√h + ε)</c> (h is the first state slot).</summary>
/// <param name="eta">The learning rate η.</param>
/// <param name="rho">The decay ρ.</param>
/// <param name="epsilon">The guard ε.</param>
public readonly struct RmsPropRule<T>(T eta, T rho, T epsilon) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 1;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second)
    {
        first = (rho * first) + ((T.One - rho) * g * g);
        w -= eta * g / (T.Sqrt(first) + epsilon);
    }

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second)
    {
        first = (new Vector<T>(rho) * first) + (new Vector<T>(T.One - rho) * g * g);
        w -= new Vector<T>(eta) * g / (Vector.SquareRoot(first) + new Vector<T>(epsilon));
    }
}
