using System.Numerics;
using NeuralSharp.Activations;

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
    private static readonly Sigmoid<T> s_sigmoid = new();
    private static readonly Tanh<T> s_tanh = new();
    private readonly BufferCache<T> _cells = new(), _cellTanh = new(), _cellGradient = new();
    private NDArray<T>? _c, _tanhC, _dc;

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
        Block(_c, 0, Hidden).Clear();
    }

    /// <inheritdoc />
    protected override void StepForward(int t, Span<T> a, ReadOnlySpan<T> u, ReadOnlySpan<T> previous, Span<T> state)
    {
        int h = Hidden;
        ReadOnlySpan<T> before = Block(_c!, t - 1, h);
        Span<T> c = Block(_c!, t, h), tanhC = Block(_tanhC!, t - 1, h);
        for (int b = 0; b < Batch; b++)
        {
            // the gates in place of their inputs: i, f = σ(·), g = tanh(·), o = σ(·)
            Span<T> gates = a.Slice(b * 4 * h, 4 * h);
            s_sigmoid.Forward(gates[..(2 * h)], gates[..(2 * h)], 2 * h);
            s_tanh.Forward(gates.Slice(2 * h, h), gates.Slice(2 * h, h), h);
            s_sigmoid.Forward(gates.Slice(3 * h, h), gates.Slice(3 * h, h), h);
            for (int j = 0; j < h; j++)
            {
                int k = (b * h) + j;
                c[k] = (gates[h + j] * before[k]) + (gates[j] * gates[(2 * h) + j]);
                tanhC[k] = T.Tanh(c[k]);
                state[k] = gates[(3 * h) + j] * tanhC[k];
            }
        }
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

        ReadOnlySpan<T> gatesAll = GateInputs(t), before = Block(_c!, t - 1, h), tanhC = Block(_tanhC!, t - 1, h);
        for (int b = 0; b < Batch; b++)
        {
            ReadOnlySpan<T> gates = gatesAll.Slice(b * 4 * h, 4 * h);
            Span<T> d = da.Slice(b * 4 * h, 4 * h);
            for (int j = 0; j < h; j++)
            {
                int k = (b * h) + j;
                T i = gates[j], f = gates[h + j], g = gates[(2 * h) + j], o = gates[(3 * h) + j], tc = tanhC[k];
                T dcell = dc[k] + (dState[k] * o * (T.One - (tc * tc)));
                d[(3 * h) + j] = dState[k] * tc * o * (T.One - o);
                d[j] = dcell * g * i * (T.One - i);
                d[h + j] = dcell * before[k] * f * (T.One - f);
                d[(2 * h) + j] = dcell * i * (T.One - (g * g));
                dc[k] = dcell * f;
            }
        }

        dPrevious.Clear();
    }
}
