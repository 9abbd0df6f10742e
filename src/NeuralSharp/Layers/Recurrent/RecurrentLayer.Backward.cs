using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>Backpropagation through time: from the last step to the first, then the weights' gradients over all steps at once.</summary>
public abstract partial class RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>δaₜ (t = 1 … T), <c>[batch, G·H]</c>, from the last backward pass: ∂L/∂ of the gates' inputs (the course's <c>delta[:, t]</c>).</summary>
    public ReadOnlySpan<T> GateInputGradient(int t) => Block(_gateGradients ?? throw new InvalidOperationException($"{Kind} layer '{Name}': no backward pass yet."), t - 1, Gates * Hidden);

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        NDArray<T> da = ParameterGradients(outputGradient);
        // ∂L/∂x = δa·W_xᵀ for every step at once, back to the batch-major layout
        int batch = Batch, steps = Input.Steps, features = Input.Features;
        NDArray<T> dxs = _timeMajorInputGradients.Get(steps * batch, features);
        Gemm.Multiply<T>(da.AsSpan(), InputWeights.Value.AsSpan(), dxs.AsSpan(), m: steps * batch, n: features, k: Gates * Hidden, transposeB: true);
        NDArray<T> dx = _inputGradients.Get(batch, Input.Size);
        TimeMajor.ToBatchMajor(dxs.AsSpan(), dx.AsSpan(), batch, steps, features);
        return dx;
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient) => ParameterGradients(outputGradient);

    /// <summary>∂L/∂h₀ from the last backward pass, <c>[batch, H]</c> (for a state carried in from elsewhere).</summary>
    public NDArray<T>? InitialStateGradient { get; private set; }

    /// <summary>BPTT: every step's δa (returned, time-major) and the parameters' gradients.</summary>
    private NDArray<T> ParameterGradients(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw NoForward();
        ArgumentNullException.ThrowIfNull(outputGradient);
        int batch = Batch, steps = Input.Steps, width = Gates * Hidden;
        if (outputGradient.Shape != new Shape(x.Rows, OutputWidth(Input.Size)))
        {
            throw new ShapeMismatchException($"{Kind} layer '{Name}' backward expects δ [{x.Rows}, {OutputWidth(Input.Size)}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        NDArray<T> da = _productGradients.Get(steps * batch, width);
        NDArray<T> du = KeepsStateProduct ? _stateProductGradients.Get(steps * batch, width) : da;
        NDArray<T> dh = _stateGradient.Get(batch, Hidden), dPrevious = _previousStateGradient.Get(batch, Hidden);
        ReadOnlySpan<T> external = outputGradient.AsSpan();
        dh.AsSpan().Clear();
        if (Output == RecurrentOutput.LastStep)
        {
            external.CopyTo(dh.AsSpan());
        }

        NDArray<T> h = _stateBuffer!;
        _packedStateWeightsTransposed.Pack(StateWeights.Value.AsSpan(), width, Hidden, rows: batch, transposeB: true);
        for (int t = steps; t >= 1; t--)
        {
            // ∂L/∂hₜ gains what the output at step t sends back
            for (int b = 0; Output == RecurrentOutput.EveryStep && b < batch; b++)
            {
                Span<T> row = dh.AsSpan().Slice(b * Hidden, Hidden);
                System.Numerics.Tensors.TensorPrimitives.Add(row, external.Slice(((b * steps) + t - 1) * Hidden, Hidden), row);
            }

            Span<T> dat = Block(da, t - 1, width), dut = KeepsStateProduct ? Block(du, t - 1, width) : default;
            StepBackward(t, dh.AsSpan(), Block(h, t - 1, Hidden), dat, dut, dPrevious.AsSpan());
            // ∂L/∂hₜ₋₁ = δuₜ·W_hᵀ + the cell's direct term
            Gemm.Multiply<T>(KeepsStateProduct ? dut : dat, StateWeights.Value.AsSpan(), _packedStateWeightsTransposed, dPrevious.AsSpan(), m: batch, n: Hidden, k: width, accumulate: true);
            (dh, dPrevious) = (dPrevious, dh);
        }

        InitialStateGradient = dh;
        _gateGradients = da;
        // the weights' gradients over all steps at once: W_x from the inputs, W_h from the states h₀ … h_T₋₁
        Gemm.Multiply<T>(_timeMajorInput!.AsSpan(), da.AsSpan(), InputWeights.Gradient.AsSpan(), m: Input.Features, n: width, k: steps * batch, transposeA: true);
        Gemm.Multiply<T>(h.AsSpan()[..(steps * batch * Hidden)], du.AsSpan(), StateWeights.Gradient.AsSpan(), m: Hidden, n: width, k: steps * batch, transposeA: true);
        if (HasBias)
        {
            RowOps.SumRows<T>(da.AsSpan(), InputBias.Gradient.AsSpan());
            RowOps.SumRows<T>(du.AsSpan(), StateBias.Gradient.AsSpan());
        }

        AfterBackward();
        return da;
    }
}
