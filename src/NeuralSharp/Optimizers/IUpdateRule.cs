using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// One optimizer's update rule for one weight, written once with a scalar and a vector form (as the activations'
/// operators are): given the weight <c>w</c>, its gradient <c>g</c> (regularisation already added) and up to two
/// numbers of state, it moves w and updates the state. The constants of the current step (η, Adam's bias
/// correction) live in the rule's fields. <see cref="Kernels.UpdateDriver"/> runs a rule over whole parameters.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many numbers of state the rule keeps per weight (0, 1 or 2).</summary>
    static abstract int StateSlots { get; }

    /// <summary>Updates one weight and its state.</summary>
    void Apply(ref T w, T g, ref T first, ref T second);

    /// <summary>Updates a vector of weights and their state.</summary>
    void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second);
}
