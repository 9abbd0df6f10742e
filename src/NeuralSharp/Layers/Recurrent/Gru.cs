using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Layers;

/// <summary>
/// The gated recurrent unit in PyTorch's form and gate order (r, z, n): fewer gates than an LSTM and no cell state,
/// the state itself passed on in the proportion z. With aₜ = xₜ·W_x + b_x and uₜ = hₜ₋₁·W_h + b_h (kept apart),
/// <code>
/// r = σ(a_r + u_r)   z = σ(a_z + u_z)   n = tanh(a_n + r ⊙ u_n)
/// hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁                                                            forward
/// δn = ∂L/∂hₜ ⊙ (1 − z) ⊙ (1 − n²)      δr = δn ⊙ u_n ⊙ r(1 − r)      δz = ∂L/∂hₜ ⊙ (hₜ₋₁ − n) ⊙ z(1 − z)
/// δa = (δr, δz, δn)   δu = (δr, δz, δn ⊙ r)   ∂L/∂hₜ₋₁ = ∂L/∂hₜ ⊙ z + δu·W_hᵀ                    backward
/// </code>
/// The reset gate acts on the state's product (<c>r ⊙ (hₜ₋₁·W_hn + b_hn)</c>), as in PyTorch and ONNX's
/// <c>linear_before_reset = 1</c>; <see cref="GruForm.ResetBeforeProduct"/> takes the course's form instead,
/// <code>
/// n = tanh(a_n + (r ⊙ hₜ₋₁)·W_hn + b_hn)                                                   forward
/// δ(r ⊙ h) = δn·W_hnᵀ    δr = δ(r ⊙ h) ⊙ hₜ₋₁ ⊙ r(1 − r)    ∂L/∂hₜ₋₁ gains δ(r ⊙ h) ⊙ r     ∂L/∂W_hn = Σₜ (r ⊙ hₜ₋₁)ᵀ·δn
/// </code>
/// Deep Learning from Scratch vol. 2 writes z the other way round (its z is this 1 − z).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Gru<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Sigmoid<T> s_sigmoid = new();
    private static readonly Tanh<T> s_tanh = new();
    private readonly BufferCache<T> _resetStates = new(), _candidateGradients = new(), _scratch = new(), _weights = new();
    private NDArray<T>? _rh, _dn, _whn, _row;

    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    public Gru(SequenceShape input, int hidden, RecurrentOutput output = RecurrentOutput.LastStep, bool bias = true, string? name = null, GruForm form = GruForm.PyTorch)
        : base(input, hidden, gates: 3, output, bias, name) => Form = form;

    /// <summary>Where the reset gate acts: on the state's product (PyTorch) or on the state (the course).</summary>
    public GruForm Form { get; }

    private bool ResetFirst => Form == GruForm.ResetBeforeProduct;

    /// <inheritdoc />
    protected override string Kind => "Gru";

    /// <inheritdoc />
    protected override bool KeepsStateProduct => true;

    /// <summary>The gates (r, z, n) of step t = 1 … T as applied, <c>[batch, 3H]</c>.</summary>
    public ReadOnlySpan<T> GateValues(int t) => GateInputs(t);

    /// <inheritdoc />
    protected override void Prepare(int batch)
    {
        if (!ResetFirst)
        {
            return;
        }

        // W_hn as a matrix of its own for (r ⊙ h)·W_hn, taken afresh each pass (the weights change between steps)
        int h = Hidden;
        (_rh, _dn, _row, _whn) = (_resetStates.Get(Input.Steps * batch, h), _candidateGradients.Get(Input.Steps * batch, h), _scratch.Get(batch, h), _weights.Get(h, h));
        ReadOnlySpan<T> wh = StateWeights.Value.AsSpan();
        for (int i = 0; i < h; i++)
        {
            wh.Slice((i * 3 * h) + (2 * h), h).CopyTo(_whn.AsSpan().Slice(i * h, h));
        }
    }

    /// <inheritdoc />
    protected override void StepForward(int t, Span<T> a, ReadOnlySpan<T> u, ReadOnlySpan<T> previous, Span<T> state)
    {
        int h = Hidden;
        for (int b = 0; b < Batch; b++)
        {
            // the gates in place of their inputs: r, z = σ(a + u), then n = tanh(a_n + r ⊙ u_n)
            Span<T> gates = a.Slice(b * 3 * h, 3 * h), rz = gates[..(2 * h)], n = gates.Slice(2 * h, h);
            ReadOnlySpan<T> product = u.Slice(b * 3 * h, 3 * h);
            System.Numerics.Tensors.TensorPrimitives.Add(rz, product[..(2 * h)], rz);
            s_sigmoid.Forward(rz, rz, 2 * h);
            if (ResetFirst)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(rz[..h], previous.Slice(b * h, h), Block(_rh!, t - 1, h).Slice(b * h, h));
                continue;
            }

            System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(rz[..h], product.Slice(2 * h, h), n, n);
            Finish(gates, n, previous.Slice(b * h, h), state.Slice(b * h, h));
        }

        if (ResetFirst)
        {
            // (r ⊙ hₜ₋₁)·W_hn + b_hn for the whole batch, then n and hₜ row by row
            Span<T> un = _row!.AsSpan();
            Kernels.Gemm.Multiply<T>(Block(_rh!, t - 1, h), _whn!.AsSpan(), un, m: Batch, n: h, k: h);
            for (int b = 0; b < Batch; b++)
            {
                Span<T> gates = a.Slice(b * 3 * h, 3 * h), n = gates.Slice(2 * h, h);
                System.Numerics.Tensors.TensorPrimitives.Add(n, un.Slice(b * h, h), n);
                if (HasBias)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(n, StateBias.Value.AsSpan().Slice(2 * h, h), n);
                }

                Finish(gates, n, previous.Slice(b * h, h), state.Slice(b * h, h));
            }
        }
    }

    /// <summary>n = tanh(n's input), then hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁, for one sequence.</summary>
    private void Finish(Span<T> gates, Span<T> n, ReadOnlySpan<T> previous, Span<T> state)
    {
        s_tanh.Forward(n, n, Hidden);
        for (int j = 0; j < Hidden; j++)
        {
            T z = gates[Hidden + j];
            state[j] = ((T.One - z) * n[j]) + (z * previous[j]);
        }
    }

    /// <inheritdoc />
    protected override void StepBackward(int t, ReadOnlySpan<T> dState, ReadOnlySpan<T> previous, Span<T> da, Span<T> du, Span<T> dPrevious)
    {
        int h = Hidden;
        ReadOnlySpan<T> gatesAll = GateInputs(t), products = StateProducts(t);
        for (int b = 0; b < Batch; b++)
        {
            int row = b * 3 * h;
            for (int j = 0; j < h; j++)
            {
                int k = (b * h) + j;
                T r = gatesAll[row + j], z = gatesAll[row + h + j], n = gatesAll[row + (2 * h) + j], dh = dState[k];
                T dn = dh * (T.One - z) * (T.One - (n * n));
                T dr = ResetFirst ? T.Zero : dn * products[row + (2 * h) + j] * r * (T.One - r);
                T dz = dh * (previous[k] - n) * z * (T.One - z);
                (da[row + j], da[row + h + j], da[row + (2 * h) + j]) = (dr, dz, dn);
                // the course's form: n's state side is (r ⊙ h)·W_hn, not W_h's n block, whose gradient stays 0 here
                (du[row + j], du[row + h + j], du[row + (2 * h) + j]) = (dr, dz, ResetFirst ? T.Zero : dn * r);
                dPrevious[k] = dh * z;
                if (ResetFirst)
                {
                    Block(_dn!, t - 1, h)[k] = dn;
                }
            }
        }

        if (ResetFirst)
        {
            // δ(r ⊙ h) = δn·W_hnᵀ reaches r and hₜ₋₁
            Span<T> drh = _row!.AsSpan();
            Kernels.Gemm.Multiply<T>(Block(_dn!, t - 1, h), _whn!.AsSpan(), drh, m: Batch, n: h, k: h, transposeB: true);
            for (int b = 0; b < Batch; b++)
            {
                for (int j = 0; j < h; j++)
                {
                    int k = (b * h) + j, at = (b * 3 * h) + j;
                    T r = gatesAll[at];
                    T dr = drh[k] * previous[k] * r * (T.One - r);
                    (da[at], du[at]) = (dr, dr);
                    dPrevious[k] += drh[k] * r;
                }
            }
        }
    }

    /// <inheritdoc />
    protected override void AfterBackward()
    {
        if (!ResetFirst)
        {
            return;
        }

        // ∂L/∂W_hn = Σₜ (r ⊙ hₜ₋₁)ᵀ·δnₜ and ∂L/∂b_hn = Σ δn, into W_h's and b_h's n blocks
        int h = Hidden, rows = Input.Steps * Batch;
        Span<T> dw = _whn!.AsSpan(), gradient = StateWeights.Gradient.AsSpan();
        Kernels.Gemm.Multiply<T>(_rh!.AsSpan(), _dn!.AsSpan(), dw, m: h, n: h, k: rows, transposeA: true);
        for (int i = 0; i < h; i++)
        {
            dw.Slice(i * h, h).CopyTo(gradient.Slice((i * 3 * h) + (2 * h), h));
        }

        if (HasBias)
        {
            Kernels.RowOps.SumRows<T>(_dn.AsSpan(), StateBias.Gradient.AsSpan().Slice(2 * h, h));
        }

        // W_hn's own copy was used as scratch: the next pass takes it afresh
    }
}
