using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// Long short-term memory, in PyTorch's equations and gate order (i, f, g, o): a cell state c that the gates add to
/// and forget from, so a gradient can pass many steps back without vanishing. The four gates' affine maps are one
/// product per step (<c>aₜ = xₜ·W_x + b_x + hₜ₋₁·W_h + b_h</c>, <c>[batch, 4H]</c>), then
/// <code>
/// i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
/// cₜ = f ⊙ cₜ₋₁ + i ⊙ g        hₜ = o ⊙ tanh(cₜ)                                        forward
/// δc = ∂L/∂cₜ + ∂L/∂hₜ ⊙ o ⊙ (1 − tanh²cₜ)      ∂L/∂cₜ₋₁ = δc ⊙ f
/// δa_o = ∂L/∂hₜ ⊙ tanh cₜ ⊙ o(1 − o)   δa_i = δc ⊙ g ⊙ i(1 − i)
/// δa_f = δc ⊙ cₜ₋₁ ⊙ f(1 − f)          δa_g = δc ⊙ i ⊙ (1 − g²)                           backward
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Lstm<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _cells = new(), _cellTanh = new(), _cellGradient = new(), _carry = new();
    private NDArray<T>? _c, _tanhC, _dc, _carried;

    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    public Lstm(SequenceShape input, int hidden, RecurrentOutput output = RecurrentOutput.LastStep, bool bias = true, string? name = null)
        : base(input, hidden, gates: 4, output, bias, name)
    {
    }

    /// <inheritdoc />
    protected override string Kind => "Lstm";

    /// <summary>The cell state cₜ of every sequence after step t (t = 0 is c₀ = 0), <c>[batch·H]</c>.</summary>
    public ReadOnlySpan<T> Cell(int t) => Block(_c ?? throw new InvalidOperationException("No forward pass yet."), t, Hidden);

    /// <summary>The gates (i, f, g, o) of step t = 1 … T as applied, <c>[batch, 4H]</c>.</summary>
    public ReadOnlySpan<T> GateValues(int t) => GateInputs(t);

    /// <inheritdoc />
    protected override void Prepare(int batch)
    {
        _c = _cells.Get((Input.Steps + 1) * batch, Hidden);
        _tanhC = _cellTanh.Get(Input.Steps * batch, Hidden);
        _dc = _cellGradient.Get(batch, Hidden);
        // c₀: zeros, or with CarryState the cell the last pass ended with
        if (CarryState && _carried is { } carried && carried.Rows == batch)
        {
            carried.AsSpan().CopyTo(Block(_c, 0, Hidden));
        }
        else
        {
            Block(_c, 0, Hidden).Clear();
        }
    }

    /// <inheritdoc />
    protected override void StepForward(int t, Span<T> a, ReadOnlySpan<T> u, ReadOnlySpan<T> previous, Span<T> state)
    {
        int h = Hidden;
        ReadOnlySpan<T> before = Block(_c!, t - 1, h);
        Span<T> c = Block(_c!, t, h), tanhC = Block(_tanhC!, t - 1, h);
        for (int b = 0; b < Batch; b++)
        {
            // the gates in place of their inputs, then cₜ, tanh cₜ and hₜ
            LstmCell.Forward(a.Slice(b * 4 * h, 4 * h), before.Slice(b * h, h), c.Slice(b * h, h), tanhC.Slice(b * h, h), state.Slice(b * h, h));
        }

        if (CarryState && t == Input.Steps)
        {
            c.CopyTo((_carried = _carry.Get(Batch, h)).AsSpan());
        }
    }

    /// <inheritdoc />
    public override void ResetState()
    {
        base.ResetState();
        _carried = null;
    }

    /// <inheritdoc />
    protected override void StepBackward(int t, ReadOnlySpan<T> dState, ReadOnlySpan<T> previous, Span<T> da, Span<T> du, Span<T> dPrevious)
    {
        int h = Hidden;
        Span<T> dc = _dc!.AsSpan();
        if (t == Input.Steps)
        {
            dc.Clear();
        }

        ReadOnlySpan<T> gates = GateInputs(t), before = Block(_c!, t - 1, h), tanhC = Block(_tanhC!, t - 1, h);
        for (int b = 0; b < Batch; b++)
        {
            // δa (i, f, g, o) and ∂L/∂cₜ₋₁ from ∂L/∂hₜ and ∂L/∂cₜ
            LstmCell.Backward(gates.Slice(b * 4 * h, 4 * h), before.Slice(b * h, h), tanhC.Slice(b * h, h), dState.Slice(b * h, h), dc.Slice(b * h, h), da.Slice(b * 4 * h, 4 * h));
        }

        // hₜ₋₁ reaches the loss only through W_h
        dPrevious.Clear();
    }
}
