using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;

namespace NeuralSharp.Training;

/// <summary>
/// Plain gradient descent fused into the backward pass of an affine layer (the engine's <see cref="TrainingPath.FusedSgd"/>):
/// the layer passes <c>∂L/∂x = δ·Wᵀ</c> back with W as it was, then
/// <c>W ← W − η·xᵀδ = W + xᵀ·(−η·δ)</c> — the product accumulates into W, no gradient tensor between — and
/// <c>b ← b − η·Σ_batch δ</c> (the bias gradient is stored on the way). The step lives here, in the engine; the layer
/// only offers its parameters (<see cref="IAffineLayer{T}"/>).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class FusedDescent<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T>[] _scaledDeltas;

    /// <summary>Buffers for a network of <paramref name="layers"/> layers.</summary>
    public FusedDescent(int layers) => _scaledDeltas = [.. Enumerable.Range(0, layers).Select(_ => new BufferCache<T>())];

    /// <summary>Layer <paramref name="index"/>'s step from δ; returns <c>∂L/∂x</c>, or null when <paramref name="inputGradient"/> is false.</summary>
    public NDArray<T>? Step(int index, IAffineLayer<T> layer, NDArray<T> delta, T learningRate, bool inputGradient)
    {
        // ∂L/∂x with W before its step
        NDArray<T>? dx = layer.PassBack(delta, inputGradient);
        NDArray<T> x = layer.LastInput!;
        int batch = x.Rows, inputs = layer.Weights.Shape[0], outputs = layer.Weights.Shape[1];
        // W ← W + xᵀ·(−η·δ)
        NDArray<T> scaled = _scaledDeltas[index].Get(batch, outputs);
        TensorPrimitives.Multiply(delta.AsSpan(), -learningRate, scaled.AsSpan());
        Gemm.Multiply<T>(x.AsSpan(), scaled.AsSpan(), layer.Weights.Value.AsSpan(), m: inputs, n: outputs, k: batch, transposeA: true, accumulate: true);
        // b ← b − η·Σ_batch δ
        RowOps.SumRows<T>(delta.AsSpan(), layer.Bias.Gradient.AsSpan());
        Axpy.Run(-learningRate, layer.Bias.Gradient.AsSpan(), layer.Bias.Value.AsSpan());
        return dx;
    }
}
