using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Momentum (Polyak, 1964): a velocity that remembers past gradients. Defaults as Deep Learning from Scratch: η = 0.01,
/// α = 0.9. Two forms, which agree step for step while η is constant and part as soon as it changes:
/// </summary>
/// <remarks>
/// <para><see cref="OptimizerForm.Course"/> (the default; the course's and the book's): the velocity holds the step,
/// <c>v ← α·v − η·g</c>, <c>W ← W + v</c> — a new rate acts on the next gradient only.</para>
/// <para><see cref="OptimizerForm.PyTorch"/> (<c>torch.optim.SGD(momentum=α)</c>, dampening 0): the buffer holds gradients,
/// <c>b ← α·b + g</c>, <c>W ← W − η·b</c> — a new rate scales the whole remembered sum at once.</para>
/// <para><see cref="Nesterov"/> looks ahead along the velocity: course form <c>v ← α·v − η·g</c>, <c>W ← W + α·v − η·g</c>;
/// PyTorch's <c>nesterov=True</c>: <c>b ← α·b + g</c>, <c>W ← W − η·(g + α·b)</c>. (Equal for a constant η.)</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Momentum<T> : RuleOptimizer<T, MomentumRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public Momentum(double learningRate = 0.01, double momentum = 0.9, OptimizerForm form = OptimizerForm.Course, bool nesterov = false)
        : base(learningRate)
    {
        MomentumFactor = momentum;
        Form = form;
        Nesterov = nesterov;
    }

    /// <summary>α, the fraction of the velocity kept each step.</summary>
    public double MomentumFactor { get; set; }

    /// <summary>Which book's formula this follows.</summary>
    public OptimizerForm Form { get; }

    /// <summary>True for Nesterov's accelerated gradient (the step looks ahead along the velocity).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override string Name => (Nesterov ? "nesterov" : "momentum") + (Form == OptimizerForm.PyTorch ? "-pytorch" : "");

    /// <inheritdoc />
    private protected override MomentumRule<T> Rule() => new(T.CreateChecked(LearningRate), T.CreateChecked(MomentumFactor), Form == OptimizerForm.PyTorch, Nesterov);
}

/// <summary>
/// Momentum's rule, both forms (the state slot is the course's velocity v, or PyTorch's buffer b):
/// course <c>v ← α·v − η·g</c>, <c>W ← W + v</c> (Nesterov <c>W ← W + α·v − η·g</c>);
/// PyTorch <c>b ← α·b + g</c>, <c>W ← W − η·b</c> (Nesterov <c>W ← W − η·(g + α·b)</c>).
/// </summary>
/// <param name="eta">The learning rate η.</param>
/// <param name="alpha">The fraction α of the velocity kept.</param>
/// <param name="pyTorch">PyTorch's form: the state holds gradients, not steps.</param>
/// <param name="nesterov">Nesterov's look-ahead.</param>
public readonly struct MomentumRule<T>(T eta, T alpha, bool pyTorch = false, bool nesterov = false) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 1;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second)
    {
        if (pyTorch)
        {
            first = (alpha * first) + g;
            w -= eta * (nesterov ? g + (alpha * first) : first);
        }
        else
        {
            first = (alpha * first) - (eta * g);
            w += nesterov ? (alpha * first) - (eta * g) : first;
        }
    }

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second)
    {
        var a = new Vector<T>(alpha);
        var e = new Vector<T>(eta);
        if (pyTorch)
        {
            first = (a * first) + g;
            w -= e * (nesterov ? g + (a * first) : first);
        }
        else
        {
            first = (a * first) - (e * g);
            w += nesterov ? (a * first) - (e * g) : first;
        }
    }
}
