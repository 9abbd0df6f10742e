using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Optimizers;

/// <summary>
/// An optimizer whose update is one <see cref="IUpdateRule{T}"/>: the state it keeps per weight is the rule's, and each
/// step runs the rule the optimizer makes for it (<see cref="Rule"/>: η and the step's constants) through the one driver.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TRule">The update rule.</typeparam>
public abstract class RuleOptimizer<T, TRule> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRule : struct, IUpdateRule<T>
{
    /// <summary>Creates the optimizer.</summary>
    private protected RuleOptimizer(double learningRate)
        : base(learningRate)
    {
    }

    /// <inheritdoc />
    private protected sealed override int StateSlots => TRule.StateSlots;

    /// <summary>The rule for the current step (<see cref="Optimizer{T}.Steps"/> counts it).</summary>
    private protected abstract TRule Rule();

    /// <inheritdoc />
    private protected sealed override void Apply(Span<T> w, ReadOnlySpan<T> g, Span<T> first, Span<T> second, T decay, T l1) =>
        UpdateDriver.Run(Rule(), w, g, first, second, decay, l1);
}
