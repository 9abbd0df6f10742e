using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralSharp.Activations;
using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Training;

/// <summary>
/// The small-network path for online SGD (the course's 2-10-1 at one sample per step): forward, ½ squared error,
/// backward and the update <c>W ← W − η·zᵀδ</c> fused into plain loops over the network's own weight arrays — no
/// virtual calls, no tensors, no checks per step — for networks of dense layers with elementwise activations.
/// The weights are updated in place (the same <see cref="Sequential{T}"/> can be used before and after); the
/// parameters' <see cref="Parameter{T}.Gradient"/> tensors are not written.
/// </summary>
/// <remarks>
/// Backward, layer by layer from the output: <c>δ_L = (y − d)·scale ⊙ f'(u_L)</c>; before W_l changes,
/// <c>δ_{l−1} = (δ_l·W_lᵀ) ⊙ f'(u_{l−1})</c>; then <c>W_l −= η·z_{l−1}ᵀδ_l</c>, <c>b_l −= η·δ_l</c> — the same
/// gradients as <see cref="Sequential{T}.ComputeGradients"/> followed by <see cref="Optimizers.Sgd{T}"/>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class FusedSgdStep<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _weights;
    private readonly Tensor<T>[] _biases;
    private readonly ActivationKind[] _activations;
    private readonly T[][] _u;
    private readonly T[][] _z;
    private readonly T[][] _delta;
    private readonly T _scale;
    private readonly T _alpha = T.CreateChecked(0.01);
    private T _eta;

    /// <summary>Prepares the fused step for <paramref name="network"/>, which it will train in place.</summary>
    /// <exception cref="NotSupportedException">The network or loss is not one this path handles; see <see cref="Supports"/>.</exception>
    public FusedSgdStep(Sequential<T> network, ILoss<T> loss, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!Supports(network, loss))
        {
            throw new NotSupportedException("The fused step takes dense layers, each followed by an elementwise activation (not softmax), and ½ squared error.");
        }

        LearningRate = learningRate;
        Dense<T>[] dense = [.. network.Layers.OfType<Dense<T>>()];
        _weights = [.. dense.Select(d => d.Weights.Value)];
        _biases = [.. dense.Select(d => d.Bias.Value)];
        _activations = [.. network.Layers.OfType<ActivationLayer<T>>().Select(a => a.Activation.Kind)];
        _u = [.. dense.Select(d => new T[d.Outputs])];
        _z = [new T[network.InputWidth], .. dense.Select(d => new T[d.Outputs])];
        _delta = [.. dense.Select(d => new T[d.Outputs])];
        // ∂E/∂y = (y − d)·scale: 1 per sample for the sum, 1/outputs for the course's mean over elements
        _scale = ((SquaredError<T>)loss).Reduction == SquaredErrorReduction.MeanOverElements
            ? T.One / T.CreateChecked(network.OutputWidth)
            : T.One;
    }

    /// <summary>The learning rate η.</summary>
    public double LearningRate
    {
        get => double.CreateChecked(_eta);
        set => _eta = T.CreateChecked(value);
    }

    /// <summary>
    /// True for networks that alternate dense layers and elementwise activations (identity, step, sigmoid, tanh,
    /// ReLU, leaky ReLU with its default slope) trained with ½ squared error.
    /// </summary>
    public static bool Supports(Sequential<T> network, ILoss<T> loss)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<ILayer<T>> layers = network.Layers;
        if (loss is not SquaredError<T> || layers.Count % 2 != 0)
        {
            return false;
        }

        for (int i = 0; i < layers.Count; i += 2)
        {
            if (layers[i] is not Dense<T> || layers[i + 1] is not ActivationLayer<T> { Activation: var f }
                || f.Kind == ActivationKind.Softmax || f is ReluWithSigmoidDerivative<T> || (f is LeakyRelu<T> leaky && leaky.Alpha != T.CreateChecked(0.01)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One online step on the sample (x, d); returns its loss ½Σ(y − d)²·scale, computed before the update.</summary>
    public T Step(ReadOnlySpan<T> x, ReadOnlySpan<T> d)
    {
        int layers = _weights.Length;
        T[] input0 = _z[0];
        for (int i = 0; i < input0.Length; i++)
        {
            input0[i] = x[i];
        }

        for (int l = 0; l < layers; l++)
        {
            Forward(_weights[l].AsSpan(), _biases[l].AsSpan(), _z[l], _u[l], _z[l + 1], _activations[l]);
        }

        // E = ½ Σ (y − d)² · scale;  δ_L = (y − d)·scale ⊙ f'(u_L)
        T[] y = _z[layers], uOut = _u[layers - 1], deltaOut = _delta[layers - 1];
        T error = T.Zero;
        for (int j = 0; j < y.Length; j++)
        {
            T difference = y[j] - d[j];
            error += difference * difference;
            deltaOut[j] = difference * _scale * Derivative(_activations[layers - 1], uOut[j], y[j]);
        }

        T eta = _eta;
        for (int l = layers - 1; l >= 0; l--)
        {
            Span<T> w = _weights[l].AsSpan(), b = _biases[l].AsSpan();
            T[] delta = _delta[l], input = _z[l];
            int outputs = delta.Length;
            if (l > 0)
            {
                // δ_{l−1} = (δ_l · W_lᵀ) ⊙ f'(u_{l−1}), with W_l before its update
                T[] previous = _delta[l - 1], uPrevious = _u[l - 1];
                for (int i = 0; i < previous.Length; i++)
                {
                    T sum = T.Zero;
                    int row = i * outputs;
                    for (int j = 0; j < outputs; j++)
                    {
                        sum += w[row + j] * delta[j];
                    }

                    previous[i] = sum;
                }

                MultiplyByDerivative(_activations[l - 1], previous, uPrevious, input);
            }

            // W ← W − η·zᵀδ;  b ← b − η·δ
            for (int i = 0; i < input.Length; i++)
            {
                T step = eta * input[i];
                int row = i * outputs;
                for (int j = 0; j < outputs; j++)
                {
                    w[row + j] -= step * delta[j];
                }
            }

            for (int j = 0; j < outputs; j++)
            {
                b[j] -= eta * delta[j];
            }
        }

        return error * _scale / T.CreateChecked(2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Forward(ReadOnlySpan<T> w, ReadOnlySpan<T> b, T[] input, T[] u, T[] z, ActivationKind activation)
    {
        // u_j = b_j + Σ_i x_i·W_ij, each sum in a register (adding into u[j] in memory input by input would chain every
        // step of a one-output layer through a store and a load)
        int outputs = u.Length;
        for (int j = 0; j < outputs && j < b.Length; j++)
        {
            T sum = b[j];
            for (int i = 0, at = j; i < input.Length; i++, at += outputs)
            {
                sum += input[i] * w[at];
            }

            u[j] = sum;
        }

        Activate(activation, u, z);
    }

    /// <summary>z = f(u) for a whole layer, the choice of f made once rather than per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Activate(ActivationKind activation, T[] u, T[] z)
    {
        switch (activation)
        {
            case ActivationKind.Relu:
                for (int j = 0; j < u.Length && j < z.Length; j++)
                {
                    z[j] = Masked.WherePositive(u[j], u[j]);
                }

                break;
            case ActivationKind.Identity:
                for (int j = 0; j < u.Length && j < z.Length; j++)
                {
                    z[j] = u[j];
                }

                break;
            default:
                for (int j = 0; j < u.Length && j < z.Length; j++)
                {
                    z[j] = Apply(activation, u[j]);
                }

                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Apply(ActivationKind activation, T u) => activation switch
    {
        ActivationKind.Relu => u > T.Zero ? u : T.Zero,
        ActivationKind.Identity => u,
        ActivationKind.Sigmoid => T.One / (T.One + T.Exp(-u)),
        ActivationKind.Tanh => T.Tanh(u),
        ActivationKind.LeakyRelu => u > T.Zero ? u : _alpha * u,
        _ => u > T.Zero ? T.One : T.Zero,
    };

    /// <summary>δ ⊙= f'(u) for a whole layer, the choice of f made once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyByDerivative(ActivationKind activation, T[] delta, T[] u, T[] z)
    {
        if (activation == ActivationKind.Relu)
        {
            for (int i = 0; i < delta.Length && i < u.Length; i++)
            {
                delta[i] = Masked.WherePositive(u[i], delta[i]);
            }

            return;
        }

        for (int i = 0; i < delta.Length && i < u.Length && i < z.Length; i++)
        {
            delta[i] *= Derivative(activation, u[i], z[i]);
        }
    }

    /// <summary>f'(u), from u or from z = f(u), whichever is cheaper.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Derivative(ActivationKind activation, T u, T z) => activation switch
    {
        ActivationKind.Relu => u > T.Zero ? T.One : T.Zero,
        ActivationKind.Identity => T.One,
        ActivationKind.Sigmoid => z * (T.One - z),
        ActivationKind.Tanh => T.One - (z * z),
        ActivationKind.LeakyRelu => u > T.Zero ? T.One : _alpha,
        _ => T.Zero,
    };
}
