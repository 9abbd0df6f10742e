using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019), as <c>torch.optim.AdamW</c>: Adam in PyTorch's form with the weight decay taken
/// out of the gradient — every parameter first shrinks by <c>W ← W·(1 − η·λ)</c>, then takes Adam's step, so the decay
/// is not rescaled by √v as an L2 term in the gradient would be. Defaults PyTorch's: η = 0.001, β₁ = 0.9, β₂ = 0.999,
/// ε = 1e-8, λ = 0.01.
/// </summary>
/// <remarks>
/// λ here is <see cref="DecoupledWeightDecay"/>; the gradient-side decays of <see cref="Optimizer{T}"/>
/// (<see cref="Optimizer{T}.WeightDecay"/>, <see cref="Optimizer{T}.CoupledWeightDecay"/>) still apply if set as well.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdamW<T> : RuleOptimizer<T, AdamWRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 0.01)
        : base(learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        DecoupledWeightDecay = weightDecay;
    }

    /// <summary>β₁, the decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; set; }

    /// <summary>β₂, the decay of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; set; }

    /// <summary>ε, the guard in the denominator.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>λ, the share of every parameter taken away each step, times η (PyTorch's <c>weight_decay</c> of AdamW).</summary>
    public double DecoupledWeightDecay { get; set; }

    /// <inheritdoc />
    public override string Name => "adamw";

    /// <inheritdoc />
    private protected override AdamWRule<T> Rule() =>
        new(T.CreateChecked(1 - (LearningRate * DecoupledWeightDecay)), Adam<T>.For(OptimizerForm.PyTorch, LearningRate, Beta1, Beta2, Epsilon, Steps));
}

/// <summary>AdamW's rule: <c>W ← W·keep</c> (keep = 1 − η·λ), then Adam's rule.</summary>
/// <param name="keep">The share of every weight kept before the step.</param>
/// <param name="adam">Adam's rule for this step.</param>
public readonly struct AdamWRule<T>(T keep, AdamRule<T> adam) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 2;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second)
    {
        w *= keep;
        adam.Apply(ref w, g, ref first, ref second);
    }

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second)
    {
        w *= new Vector<T>(keep);
        adam.Apply(ref w, g, ref first, ref second);
    }
}
