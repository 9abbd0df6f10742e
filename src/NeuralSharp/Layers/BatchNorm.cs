using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Layers;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy 2015; Deep Learning from Scratch §6.3): each feature is normalised over the
/// batch while training, and by running averages of those statistics at inference; γ and β are learnt. Images are
/// normalised per value of their flattened rows, as the book's implementation does.
/// <code>
/// μ = mean_batch(x), σ² = var_batch(x), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β                        forward (training)
/// running ← m·running + (1 − m)·batch statistic;  at inference x̂ = (x − running μ)/√(running σ² + ε)
/// ∂L/∂β = Σ g,  ∂L/∂γ = Σ g·x̂,  ∂L/∂x = (γ/√(σ² + ε))·(g − mean(g) − x̂·mean(g·x̂)),  g = ∂L/∂y     backward
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNorm<T> : ITrainingModeLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new(), _normalized = new(), _inputGradients = new();
    private readonly Parameter<T>[] _parameters;
    private readonly T[] _mean, _inverseDeviation, _sumGradient, _sumGradientNormalized;
    private bool _batchStatistics;

    /// <summary>Creates the layer for rows of <paramref name="features"/> values; γ starts at 1, β at 0.</summary>
    public BatchNorm(int features, double momentum = 0.9, double epsilon = 1e-5, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (!(momentum is >= 0 and <= 1) || !(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "BatchNorm: the momentum must lie in [0, 1] and ε be positive.");
        }

        Features = features;
        (Momentum, Epsilon) = (momentum, epsilon);
        Gamma = new Parameter<T>("gamma", new NDArray<T>(new Shape(features)));
        Gamma.Value.AsSpan().Fill(T.One);
        Beta = new Parameter<T>("beta", new NDArray<T>(new Shape(features)));
        _parameters = [Gamma, Beta];
        RunningMean = new NDArray<T>(new Shape(features));
        RunningVariance = new NDArray<T>(new Shape(features));
        RunningVariance.AsSpan().Fill(T.One);
        (_mean, _inverseDeviation, _sumGradient, _sumGradientNormalized) = (new T[features], new T[features], new T[features], new T[features]);
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name { get; set; }

    /// <summary>The values per row normalised.</summary>
    public int Features { get; }

    /// <summary>The weight m of the old running statistics in each update.</summary>
    public double Momentum { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>The learnt scale γ.</summary>
    public Parameter<T> Gamma { get; }

    /// <summary>The learnt shift β.</summary>
    public Parameter<T> Beta { get; }

    /// <summary>The running mean used at inference (saved with the model).</summary>
    public NDArray<T> RunningMean { get; }

    /// <summary>The running (biased) variance used at inference (saved with the model).</summary>
    public NDArray<T> RunningVariance { get; }

    /// <inheritdoc />
    public bool Training { get; set; } = true;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth == Features
        ? Features
        : throw new ShapeMismatchException($"BatchNorm layer '{Name}' expects input [batch, {Features}] but got [batch, {inputWidth}].");

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Features, "BatchNorm layer", Name);
        int batch = x.Rows;
        ReadOnlySpan<T> input = x.AsSpan();
        _batchStatistics = Training;
        if (Training)
        {
            Statistics(input, batch);
        }
        else
        {
            for (int j = 0; j < Features; j++)
            {
                _mean[j] = RunningMean[j];
                _inverseDeviation[j] = T.One / T.Sqrt(RunningVariance[j] + T.CreateChecked(Epsilon));
            }
        }

        NDArray<T> normalized = _normalized.Get(batch, Features), y = _outputs.Get(batch, Features);
        Span<T> xHat = normalized.AsSpan(), output = y.AsSpan();
        for (int row = 0; row < batch; row++)
        {
            Span<T> h = xHat.Slice(row * Features, Features);
            TensorPrimitives.Subtract(input.Slice(row * Features, Features), _mean, h);
            TensorPrimitives.Multiply(h, _inverseDeviation, h);
            TensorPrimitives.FusedMultiplyAdd(h, Gamma.Value.AsSpan(), Beta.Value.AsSpan(), output.Slice(row * Features, Features));
        }

        LastInput = x;
        LastOutput = y;
        return y;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"BatchNorm layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != x.Shape)
        {
            throw new ShapeMismatchException($"BatchNorm layer '{Name}' backward expects [{x.Rows}, {Features}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        int batch = x.Rows;
        ReadOnlySpan<T> g = outputGradient.AsSpan(), xHat = _normalized.Get(batch, Features).AsSpan();
        Span<T> dBeta = Beta.Gradient.AsSpan(), dGamma = Gamma.Gradient.AsSpan();
        dBeta.Clear();
        dGamma.Clear();
        for (int row = 0; row < batch; row++)
        {
            ReadOnlySpan<T> gRow = g.Slice(row * Features, Features), hRow = xHat.Slice(row * Features, Features);
            TensorPrimitives.Add(dBeta, gRow, dBeta);
            TensorPrimitives.FusedMultiplyAdd(gRow, hRow, dGamma, dGamma);
        }

        NDArray<T> dx = _inputGradients.Get(batch, Features);
        Span<T> gradient = dx.AsSpan();
        T n = T.CreateChecked(batch);
        for (int j = 0; j < Features; j++)
        {
            // with batch statistics μ and σ depend on x: the two means subtract what flows through them
            (_sumGradient[j], _sumGradientNormalized[j]) = _batchStatistics ? (dBeta[j] / n, dGamma[j] / n) : (T.Zero, T.Zero);
        }

        for (int row = 0; row < batch; row++)
        {
            for (int j = 0; j < Features; j++)
            {
                int at = (row * Features) + j;
                gradient[at] = Gamma.Value[j] * _inverseDeviation[j] * (g[at] - _sumGradient[j] - (xHat[at] * _sumGradientNormalized[j]));
            }
        }

        return dx;
    }

    /// <summary>The batch's mean and 1/√(σ² + ε) per feature, and the running averages moved towards them.</summary>
    private void Statistics(ReadOnlySpan<T> input, int batch)
    {
        T n = T.CreateChecked(batch), m = T.CreateChecked(Momentum), epsilon = T.CreateChecked(Epsilon);
        Array.Clear(_mean);
        for (int row = 0; row < batch; row++)
        {
            TensorPrimitives.Add(_mean, input.Slice(row * Features, Features), _mean);
        }

        TensorPrimitives.Divide(_mean, n, _mean);
        Span<T> variance = _inverseDeviation;
        variance.Clear();
        for (int row = 0; row < batch; row++)
        {
            for (int j = 0; j < Features; j++)
            {
                T centered = input[(row * Features) + j] - _mean[j];
                variance[j] += centered * centered;
            }
        }

        for (int j = 0; j < Features; j++)
        {
            T v = variance[j] / n;
            RunningMean[j] = (m * RunningMean[j]) + ((T.One - m) * _mean[j]);
            RunningVariance[j] = (m * RunningVariance[j]) + ((T.One - m) * v);
            _inverseDeviation[j] = T.One / T.Sqrt(v + epsilon);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"BatchNorm '{Name}' {Features} features";
}
