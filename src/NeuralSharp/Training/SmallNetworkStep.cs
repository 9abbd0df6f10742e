using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Training;

/// <summary>
/// The training engine's path for a small network learning one sample at a time with plain SGD (the course's 2-10-1
/// online exercise): forward, ½ squared error, backward and the update <c>W ← W − η·zᵀδ</c> fused into plain loops over
/// the network's own weight arrays — no virtual calls, no tensors. Each activation is applied through its own operator
/// (<see cref="IActivationOperator{T}"/>), so its formula is the one the layers use.
/// </summary>
/// <remarks>
/// Backward, layer by layer from the output: <c>δ_L = (y − d)·scale ⊙ f'(u_L)</c>; before W_l changes,
/// <c>δ_{l−1} = (δ_l·W_lᵀ) ⊙ f'(u_{l−1})</c>; then <c>W_l −= η·z_{l−1}ᵀδ_l</c>, <c>b_l −= η·δ_l</c> — the same
/// update as <see cref="Sequential{T}.ComputeGradients"/> followed by <see cref="Optimizers.Sgd{T}"/>. The parameters'
/// <see cref="Parameter{T}.Gradient"/> tensors are not written.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class SmallNetworkStep<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Networks with more weights than this learn faster through the batch kernels, even one sample at a time.</summary>
    public const int MaxParameters = 4096;

    private readonly NDArray<T>[] _weights;
    private readonly NDArray<T>[] _biases;
    private readonly ActivationKind[] _kinds;
    private readonly T[] _alphas;
    private readonly T[][] _u;
    private readonly T[][] _z;
    private readonly T[][] _delta;
    private readonly int[] _weightSlots;
    private readonly int[] _biasSlots;
    private readonly T _scale;

    private SmallNetworkStep(Sequential<T> network, SquaredError<T> loss)
    {
        Dense<T>[] dense = [.. network.Layers.OfType<Dense<T>>()];
        IActivation<T>[] activations = [.. network.Layers.OfType<ActivationLayer<T>>().Select(a => a.Activation)];
        _weights = [.. dense.Select(d => d.Weights.Value)];
        _biases = [.. dense.Select(d => d.Bias.Value)];
        _kinds = [.. activations.Select(KindOf)];
        _alphas = [.. activations.Select(f => f is LeakyRelu<T> leaky ? leaky.Alpha : T.Zero)];
        _u = [.. dense.Select(d => new T[d.Outputs])];
        _z = [new T[network.InputWidth], .. dense.Select(d => new T[d.Outputs])];
        _delta = [.. dense.Select(d => new T[d.Outputs])];
        // where each layer's weights and biases sit in the network's parameter list (the caller's copies follow it)
        Parameter<T>[] parameters = [.. network.Parameters];
        _weightSlots = [.. dense.Select(d => Array.FindIndex(parameters, p => ReferenceEquals(p, d.Weights)))];
        _biasSlots = [.. dense.Select(d => Array.FindIndex(parameters, p => ReferenceEquals(p, d.Bias)))];
        // ∂E/∂y = (y − d)·scale: 1 per sample for the sum, 1/outputs for the course's mean over elements
        _scale = loss.Reduction == SquaredErrorReduction.MeanOverElements ? T.One / T.CreateChecked(network.OutputWidth) : T.One;
    }

    /// <summary>
    /// The path for this network and loss, or null: dense layers each followed by one of the library's elementwise
    /// activations, ½ squared error, at most <see cref="MaxParameters"/> weights.
    /// </summary>
    public static SmallNetworkStep<T>? For(Sequential<T> network, ILoss<T> loss)
    {
        IReadOnlyList<ILayer<T>> layers = network.Layers;
        if (loss is not SquaredError<T> squared || layers.Count % 2 != 0 || network.ParameterCount > MaxParameters)
        {
            return null;
        }

        for (int i = 0; i < layers.Count; i += 2)
        {
            if (layers[i] is not Dense<T> || layers[i + 1] is not ActivationLayer<T> { Activation: var f } || !Knows(f))
            {
                return null;
            }
        }

        return new SmallNetworkStep<T>(network, squared);
    }

    /// <summary>
    /// One online step on the sample (x, d) at rate η; returns its loss ½Σ(y − d)²·scale, computed before the update.
    /// Every parameter's value before the update is written to <paramref name="before"/> (in the network's parameter
    /// order) as the update passes it — the copy the divergence guard keeps, without a pass of its own.
    /// </summary>
    public T Step(ReadOnlySpan<T> x, ReadOnlySpan<T> d, T eta, NDArray<T>[] before)
    {
        int layers = _weights.Length;
        x[.._z[0].Length].CopyTo(_z[0]);
        for (int l = 0; l < layers; l++)
        {
            Affine(_weights[l].AsSpan(), _biases[l].AsSpan(), _z[l], _u[l]);
            Activate(l, _u[l], _z[l + 1]);
        }

        // E = ½ Σ (y − d)² · scale;  δ_L = (y − d)·scale ⊙ f'(u_L)
        T[] y = _z[layers], deltaOut = _delta[layers - 1];
        T error = T.Zero;
        for (int j = 0; j < y.Length && j < deltaOut.Length; j++)
        {
            T difference = y[j] - d[j];
            error += difference * difference;
            deltaOut[j] = difference * _scale;
        }

        MultiplyByDerivative(layers - 1, deltaOut, _u[layers - 1], y);
        for (int l = layers - 1; l >= 0; l--)
        {
            Span<T> w = _weights[l].AsSpan(), b = _biases[l].AsSpan();
            T[] delta = _delta[l], input = _z[l];
            int outputs = delta.Length;
            if (l > 0)
            {
                // δ_{l−1} = (δ_l · W_lᵀ) ⊙ f'(u_{l−1}), with W_l before its update
                T[] previous = _delta[l - 1];
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

                MultiplyByDerivative(l - 1, previous, _u[l - 1], input);
            }

            // W ← W − η·zᵀδ;  b ← b − η·δ (each value kept first)
            Span<T> keptW = before[_weightSlots[l]].AsSpan(), keptB = before[_biasSlots[l]].AsSpan();
            for (int i = 0; i < input.Length; i++)
            {
                T step = eta * input[i];
                int row = i * outputs;
                for (int j = 0; j < outputs; j++)
                {
                    T old = w[row + j];
                    keptW[row + j] = old;
                    w[row + j] = old - (step * delta[j]);
                }
            }

            for (int j = 0; j < outputs && j < b.Length; j++)
            {
                keptB[j] = b[j];
                b[j] -= eta * delta[j];
            }
        }

        return error * _scale / T.CreateChecked(2);
    }

    /// <summary>u_j = b_j + Σ_i x_i·W_ij, each sum in a register (adding into u[j] in memory would chain every input of a one-output layer through a store and a load).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Affine(ReadOnlySpan<T> w, ReadOnlySpan<T> b, T[] input, T[] u)
    {
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
    }

    /// <summary>z = f(u) for layer l's activation, the choice of formula made once per layer.</summary>
    private void Activate(int l, T[] u, T[] z)
    {
        switch (_kinds[l])
        {
            case ActivationKind.Relu: Map(default(ReluOperator<T>), u, z); break;
            case ActivationKind.Identity: Map(default(IdentityOperator<T>), u, z); break;
            case ActivationKind.Sigmoid: Map(default(SigmoidOperator<T>), u, z); break;
            case ActivationKind.Tanh: Map(default(TanhOperator<T>), u, z); break;
            case ActivationKind.LeakyRelu: Map(new LeakyReluOperator<T>(_alphas[l]), u, z); break;
            case ActivationKind.Step: Map(default(StepOperator<T>), u, z); break;
            default: throw new NotSupportedException($"The small-network path has no formula for {_kinds[l]}.");
        }
    }

    /// <summary>δ ⊙= f'(u) for layer l's activation.</summary>
    private void MultiplyByDerivative(int l, T[] delta, T[] u, T[] z)
    {
        switch (_kinds[l])
        {
            case ActivationKind.Relu: Scale(default(ReluOperator<T>), delta, u, z); break;
            case ActivationKind.Identity: break;
            case ActivationKind.Sigmoid: Scale(default(SigmoidOperator<T>), delta, u, z); break;
            case ActivationKind.Tanh: Scale(default(TanhOperator<T>), delta, u, z); break;
            case ActivationKind.LeakyRelu: Scale(new LeakyReluOperator<T>(_alphas[l]), delta, u, z); break;
            case ActivationKind.Step: Scale(default(StepOperator<T>), delta, u, z); break;
            default: throw new NotSupportedException($"The small-network path has no derivative for {_kinds[l]}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<TOperator>(TOperator f, T[] u, T[] z)
        where TOperator : struct, IActivationOperator<T>
    {
        for (int j = 0; j < u.Length && j < z.Length; j++)
        {
            z[j] = f.Value(u[j]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale<TOperator>(TOperator f, T[] delta, T[] u, T[] z)
        where TOperator : struct, IActivationOperator<T>
    {
        for (int i = 0; i < delta.Length && i < u.Length && i < z.Length; i++)
        {
            delta[i] *= f.Derivative(u[i], z[i]);
        }
    }

    /// <summary>True for the library's own elementwise activations (a look-alike with another derivative is not taken).</summary>
    private static bool Knows(IActivation<T> f) =>
        f is Relu<T> or Identity<T> or Sigmoid<T> or Tanh<T> or LeakyRelu<T> or Step<T>;

    private static ActivationKind KindOf(IActivation<T> f) => Knows(f)
        ? f.Kind
        : throw new NotSupportedException($"The small-network path does not know the activation {f.GetType().Name}.");
}
