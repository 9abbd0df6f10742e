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
/// <c>linear_before_reset = 1</c>. Deep Learning from Scratch vol. 2 writes z the other way round (its z is this 1 − z).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Gru<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Sigmoid<T> s_sigmoid = new();
    private static readonly Tanh<T> s_tanh = new();

    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    public Gru(SequenceShape input, int hidden, RecurrentOutput output = RecurrentOutput.LastStep, bool bias = true, string? name = null)
        : base(input, hidden, gates: 3, output, bias, name)
    {
    }

    /// <inheritdoc />
    protected override string Kind => "Gru";

    /// <inheritdoc />
    protected override bool KeepsStateProduct => true;

    /// <summary>The gates (r, z, n) of step t = 1 … T as applied, <c>[batch, 3H]</c>.</summary>
    public ReadOnlySpan<T> GateValues(int t) => GateInputs(t);

    /// <inheritdoc />
    protected override void Prepare(int batch)
    {
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
            System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(rz[..h], product.Slice(2 * h, h), n, n);
            s_tanh.Forward(n, n, h);
            for (int j = 0; j < h; j++)
            {
                T z = gates[h + j];
                state[(b * h) + j] = ((T.One - z) * n[j]) + (z * previous[(b * h) + j]);
            }
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
                T dr = dn * products[row + (2 * h) + j] * r * (T.One - r);
                T dz = dh * (previous[k] - n) * z * (T.One - z);
                (da[row + j], da[row + h + j], da[row + (2 * h) + j]) = (dr, dz, dn);
                (du[row + j], du[row + h + j], du[row + (2 * h) + j]) = (dr, dz, dn * r);
                dPrevious[k] = dh * z;
            }
        }
    }
}
