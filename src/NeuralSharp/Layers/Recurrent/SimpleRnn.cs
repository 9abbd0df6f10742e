using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Layers;

/// <summary>
/// The simple recurrent network of the course's Day 3 (3_1): the state carries what the sequence has shown so far.
/// <code>
/// uₜ = xₜ·W_x + hₜ₋₁·W_h + b        hₜ = f(uₜ)                      forward (f = tanh unless said)
/// δuₜ = (∂L/∂hₜ) ⊙ f'(uₜ),   ∂L/∂hₜ₋₁ = δuₜ·W_hᵀ  (+ what the output at t − 1 sends)      backward through time
/// </code>
/// The course's <c>W_in</c> is W_x, its <c>W</c> is W_h, its <c>delta[:, t]</c> is δuₜ; b is b_x + b_h (PyTorch's two
/// biases, see <see cref="RecurrentLayer{T}"/>). ReLU lets the state grow without bound — the exploding gradient the
/// course asks about; sigmoid and tanh saturate instead, and their gradients vanish over long sequences.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SimpleRnn<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    /// <exception cref="ArgumentException">The activation is not elementwise (softmax).</exception>
    public SimpleRnn(SequenceShape input, int hidden, ActivationKind activation = ActivationKind.Tanh, RecurrentOutput output = RecurrentOutput.LastStep, bool bias = true, string? name = null)
        : base(input, hidden, gates: 1, output, bias, name) =>
        Activation = Activations.Activation.Create<T>(activation) as IElementwiseActivation<T>
            ?? throw new ArgumentException($"A recurrent layer's activation works element by element; {Activations.Activation.NameOf(activation)} does not.", nameof(activation));

    /// <summary>f, applied to uₜ.</summary>
    public IActivation<T> Activation { get; }

    /// <inheritdoc />
    protected override string Kind => "SimpleRnn";

    /// <summary>uₜ of every sequence (t = 1 … T), <c>[batch·H]</c>, from the last forward pass (for traces).</summary>
    public ReadOnlySpan<T> PreActivation(int t) => GateInputs(t);

    /// <inheritdoc />
    protected override void Prepare(int batch)
    {
    }

    /// <inheritdoc />
    protected override void StepForward(int t, Span<T> a, ReadOnlySpan<T> u, ReadOnlySpan<T> previous, Span<T> state)
    {
        // a holds uₜ = xₜ·W_x + hₜ₋₁·W_h + b and keeps it for f'(uₜ)
        Activation.Forward(a, state, Hidden);
    }

    /// <inheritdoc />
    protected override void StepBackward(int t, ReadOnlySpan<T> dState, ReadOnlySpan<T> previous, Span<T> da, Span<T> du, Span<T> dPrevious)
    {
        // δuₜ = ∂L/∂hₜ ⊙ f'(uₜ); nothing reaches hₜ₋₁ but through W_h
        Activation.Backward(GateInputs(t), State(t), dState, da, Hidden);
        dPrevious.Clear();
    }
}
