using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015): <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>, and a step along m scaled by
/// √v, with the bias of the zero start corrected. Defaults η = 0.001, β₁ = 0.9, β₂ = 0.999. Two forms:
/// </summary>
/// <remarks>
/// <para><see cref="OptimizerForm.Course"/> (the default; Deep Learning from Scratch's <c>Adam</c>): the correction folded
/// into the rate, <c>η_t = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)</c>, <c>W ← W − η_t·m / (√v + ε)</c>, ε = 1e-7.</para>
/// <para><see cref="OptimizerForm.PyTorch"/> (<c>torch.optim.Adam</c>): <c>m̂ = m / (1 − β₁ᵗ)</c>, <c>v̂ = v / (1 − β₂ᵗ)</c>,
/// <c>W ← W − η·m̂ / (√v̂ + ε)</c>, ε = 1e-8. The two differ only in where ε sits, which matters while v is tiny.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adam<T> : RuleOptimizer<T, AdamRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer; ε is 1e-7 in the course's form and 1e-8 in PyTorch's unless set.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, OptimizerForm form = OptimizerForm.Course)
        : base(learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Form = form;
        Epsilon = form == OptimizerForm.PyTorch ? 1e-8 : 1e-7;
    }

    /// <summary>β₁, the decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; set; }

    /// <summary>β₂, the decay of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; set; }

    /// <summary>ε, the guard in the denominator.</summary>
    public double Epsilon { get; set; }

    /// <summary>Which book's formula this follows.</summary>
    public OptimizerForm Form { get; }

    /// <inheritdoc />
    public override string Name => Form == OptimizerForm.PyTorch ? "adam-pytorch" : "adam";

    /// <inheritdoc />
    private protected override AdamRule<T> Rule() => For(Form, LearningRate, Beta1, Beta2, Epsilon, Steps);

    /// <summary>The rule of step <paramref name="steps"/> in <paramref name="form"/> (AdamW's too).</summary>
    internal static AdamRule<T> For(OptimizerForm form, double learningRate, double beta1, double beta2, double epsilon, int steps)
    {
        double correction1 = 1 - Math.Pow(beta1, steps), correction2 = 1 - Math.Pow(beta2, steps);
        // course: η_t = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and W −= η_t·m/(√v + ε), i.e. a unit denominator scale;
        // PyTorch: W −= (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε)
        (double rate, double scale) = form == OptimizerForm.PyTorch
            ? (learningRate / correction1, 1 / Math.Sqrt(correction2))
            : (learningRate * Math.Sqrt(correction2) / correction1, 1.0);
        return new AdamRule<T>(T.CreateChecked(rate), T.CreateChecked(scale), T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(epsilon));
    }
}

/// <summary>
/// Adam's rule, both forms: <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>,
/// <c>W ← W − rate·m / (√v·scale + ε)</c> (m and v are the state slots; rate and scale carry the step's bias correction).
/// </summary>
/// <param name="rate">The step's rate.</param>
/// <param name="scale">The factor on √v (1, or 1/√(1 − β₂ᵗ) in PyTorch's form).</param>
/// <param name="beta1">β₁.</param>
/// <param name="beta2">β₂.</param>
/// <param name="epsilon">ε.</param>
public readonly struct AdamRule<T>(T rate, T scale, T beta1, T beta2, T epsilon) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 2;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second)
    {
        first = (beta1 * first) + ((T.One - beta1) * g);
        second = (beta2 * second) + ((T.One - beta2) * g * g);
        w -= rate * (first / ((T.Sqrt(second) * scale) + epsilon));
    }

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second)
    {
        first = (new Vector<T>(beta1) * first) + (new Vector<T>(T.One - beta1) * g);
        second = (new Vector<T>(beta2) * second) + (new Vector<T>(T.One - beta2) * g * g);
        w -= new Vector<T>(rate) * (first / ((Vector.SquareRoot(second) * new Vector<T>(scale)) + new Vector<T>(epsilon)));
    }
}
