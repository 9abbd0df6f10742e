using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Layers;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy 2015; Deep Learning from Scratch §6.3): each feature is normalised over the
/// batch while training, and by running averages of those statistics at inference; γ and β are learnt. After a
/// convolution a channel is one feature, as in PyTorch's <c>BatchNorm2d</c>: its statistics run over the batch and
/// every position of the image, and it has one γ and one β (16 channels of 24×24: 32 parameters, not 18,432).
/// <code>
/// μ = mean(x), σ² = var(x) over the batch (and the image), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β     forward (training)
/// running ← m·running + (1 − m)·batch statistic;  at inference x̂ = (x − running μ)/√(running σ² + ε)
/// ∂L/∂β = Σ g,  ∂L/∂γ = Σ g·x̂,  ∂L/∂x = (γ/√(σ² + ε))·(g − mean(g) − x̂·mean(g·x̂)),  g = ∂L/∂y     backward
/// </code>
/// σ² is the biased variance (divided by the count, not count − 1), in the normalisation and in the running average,
/// as the book computes it; PyTorch keeps the unbiased one in its running average.
/// </summary>
/// <remarks>
/// Every pass runs along whole rows, vectorised: a channel's statistic is the sum of its positions' per-row sums, and
/// its μ, 1/√(σ² + ε), γ and β are spread back over its positions before the rows are normalised.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNorm<T> : ITrainingModeLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new(), _normalized = new(), _inputGradients = new();
    private readonly Parameter<T>[] _parameters;
    private readonly int _plane;

    // per channel: the statistics in use, γ/√(σ² + ε) and the backward pass's two means
    private readonly T[] _mean, _inverseDeviation, _scale, _meanGradient, _meanGradientNormalized;

    // per value of a row: sums over the batch, and per-channel values spread over the channel's positions
    private readonly T[] _sum, _sumSquares, _rowMean, _rowInverse, _rowGamma, _rowBeta, _rowScale, _rowMeanGradient, _rowMeanGradientNormalized;
    private bool _batchStatistics;

    /// <summary>Creates the layer for rows of <paramref name="features"/> values, each normalised on its own; γ starts at 1, β at 0.</summary>
    public BatchNorm(int features, double momentum = 0.9, double epsilon = 1e-5, string? name = null)
        : this(features, 1, null, momentum, epsilon, name)
    {
    }

    /// <summary>Creates the layer for images (after a convolution or pooling): one statistic, γ and β per channel.</summary>
    public BatchNorm(ImageShape image, double momentum = 0.9, double epsilon = 1e-5, string? name = null)
        : this(image.Validated(nameof(image)).Channels, image.Height * image.Width, image, momentum, epsilon, name)
    {
    }

    private BatchNorm(int channels, int plane, ImageShape? image, double momentum, double epsilon, string? name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (!(momentum is >= 0 and <= 1) || !(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "BatchNorm: the momentum must lie in [0, 1] and ε be positive.");
        }

        (Channels, _plane, Image, Features) = (channels, plane, image, channels * plane);
        (Momentum, Epsilon) = (momentum, epsilon);
        Gamma = new Parameter<T>("gamma", new NDArray<T>(new Shape(channels)));
        Gamma.Value.AsSpan().Fill(T.One);
        Beta = new Parameter<T>("beta", new NDArray<T>(new Shape(channels)));
        _parameters = [Gamma, Beta];
        RunningMean = new NDArray<T>(new Shape(channels));
        RunningVariance = new NDArray<T>(new Shape(channels));
        RunningVariance.AsSpan().Fill(T.One);
        (_mean, _inverseDeviation, _scale, _meanGradient, _meanGradientNormalized) = (new T[channels], new T[channels], new T[channels], new T[channels], new T[channels]);
        (_sum, _sumSquares, _rowMean, _rowInverse, _rowGamma) = (new T[Features], new T[Features], new T[Features], new T[Features], new T[Features]);
        (_rowBeta, _rowScale, _rowMeanGradient, _rowMeanGradientNormalized) = (new T[Features], new T[Features], new T[Features], new T[Features]);
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name { get; set; }

    /// <summary>The values in a row: the features, or an image's C·H·W.</summary>
    public int Features { get; }

    /// <summary>The features normalised each with its own statistics, γ and β: <see cref="Features"/> for rows, an image's channels.</summary>
    public int Channels { get; }

    /// <summary>The images normalised per channel, or null for rows normalised per value.</summary>
    public ImageShape? Image { get; }

    /// <summary>The weight m of the old running statistics in each update.</summary>
    public double Momentum { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>The learnt scale γ, one per channel.</summary>
    public Parameter<T> Gamma { get; }

    /// <summary>The learnt shift β, one per channel.</summary>
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
        NDArray<T> normalized = _normalized.Get(batch, Features), y = _outputs.Get(batch, Features);
        Span<T> xHat = normalized.AsSpan(), output = y.AsSpan();
        _batchStatistics = Training;
        if (Training)
        {
            // x − μ lands in x̂'s rows on the way: the variance needs it
            Statistics(input, xHat, batch);
        }
        else
        {
            for (int c = 0; c < Channels; c++)
            {
                _mean[c] = RunningMean[c];
                _inverseDeviation[c] = T.One / T.Sqrt(RunningVariance[c] + T.CreateChecked(Epsilon));
            }

            Spread(_mean, _rowMean);
        }

        Spread(_inverseDeviation, _rowInverse);
        Spread(Gamma.Value.AsSpan(), _rowGamma);
        Spread(Beta.Value.AsSpan(), _rowBeta);
        for (int row = 0; row < batch; row++)
        {
            Span<T> h = xHat.Slice(row * Features, Features);
            if (!Training)
            {
                TensorPrimitives.Subtract(input.Slice(row * Features, Features), _rowMean, h);
            }

            TensorPrimitives.Multiply(h, _rowInverse, h);
            TensorPrimitives.FusedMultiplyAdd(h, _rowGamma, _rowBeta, output.Slice(row * Features, Features));
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
        Array.Clear(_sum);
        Array.Clear(_sumSquares);
        for (int row = 0; row < batch; row++)
        {
            ReadOnlySpan<T> gRow = g.Slice(row * Features, Features), hRow = xHat.Slice(row * Features, Features);
            TensorPrimitives.Add(_sum, gRow, _sum);
            TensorPrimitives.FusedMultiplyAdd(gRow, hRow, _sumSquares, _sumSquares);
        }

        Span<T> dBeta = Beta.Gradient.AsSpan(), dGamma = Gamma.Gradient.AsSpan();
        Gather(_sum, dBeta);
        Gather(_sumSquares, dGamma);
        T n = T.CreateChecked((long)batch * _plane);
        for (int c = 0; c < Channels; c++)
        {
            // with batch statistics μ and σ depend on x: the two means subtract what flows through them (the second
            // kept negated, to be added by a fused multiply-add)
            (_meanGradient[c], _meanGradientNormalized[c]) = _batchStatistics ? (dBeta[c] / n, -dGamma[c] / n) : (T.Zero, T.Zero);
            _scale[c] = Gamma.Value[c] * _inverseDeviation[c];
        }

        Spread(_scale, _rowScale);
        Spread(_meanGradient, _rowMeanGradient);
        Spread(_meanGradientNormalized, _rowMeanGradientNormalized);
        NDArray<T> dx = _inputGradients.Get(batch, Features);
        Span<T> gradient = dx.AsSpan();
        for (int row = 0; row < batch; row++)
        {
            Span<T> dxRow = gradient.Slice(row * Features, Features);
            TensorPrimitives.Subtract(g.Slice(row * Features, Features), _rowMeanGradient, dxRow);
            TensorPrimitives.FusedMultiplyAdd(xHat.Slice(row * Features, Features), _rowMeanGradientNormalized, dxRow, dxRow);
            TensorPrimitives.Multiply(dxRow, _rowScale, dxRow);
        }

        return dx;
    }

    /// <summary>The batch's mean and 1/√(σ² + ε) per channel, x − μ into <paramref name="centered"/>, and the running averages moved towards them.</summary>
    private void Statistics(ReadOnlySpan<T> input, Span<T> centered, int batch)
    {
        T n = T.CreateChecked((long)batch * _plane), m = T.CreateChecked(Momentum), epsilon = T.CreateChecked(Epsilon);
        Array.Clear(_sum);
        for (int row = 0; row < batch; row++)
        {
            TensorPrimitives.Add(_sum, input.Slice(row * Features, Features), _sum);
        }

        Gather(_sum, _mean);
        TensorPrimitives.Divide(_mean, n, _mean);
        Spread(_mean, _rowMean);
        Array.Clear(_sumSquares);
        for (int row = 0; row < batch; row++)
        {
            Span<T> h = centered.Slice(row * Features, Features);
            TensorPrimitives.Subtract(input.Slice(row * Features, Features), _rowMean, h);
            TensorPrimitives.FusedMultiplyAdd(h, h, _sumSquares, _sumSquares);
        }

        Span<T> variance = _inverseDeviation;
        Gather(_sumSquares, variance);
        for (int c = 0; c < Channels; c++)
        {
            T v = variance[c] / n;
            RunningMean[c] = (m * RunningMean[c]) + ((T.One - m) * _mean[c]);
            RunningVariance[c] = (m * RunningVariance[c]) + ((T.One - m) * v);
            _inverseDeviation[c] = T.One / T.Sqrt(v + epsilon);
        }
    }

    /// <summary>Each channel's value over its positions in a row.</summary>
    private void Spread(ReadOnlySpan<T> perChannel, Span<T> perValue)
    {
        if (_plane == 1)
        {
            perChannel.CopyTo(perValue);
            return;
        }

        for (int c = 0; c < Channels; c++)
        {
            perValue.Slice(c * _plane, _plane).Fill(perChannel[c]);
        }
    }

    /// <summary>Each channel's sum over its positions in a row.</summary>
    private void Gather(ReadOnlySpan<T> perValue, Span<T> perChannel)
    {
        if (_plane == 1)
        {
            perValue.CopyTo(perChannel);
            return;
        }

        for (int c = 0; c < Channels; c++)
        {
            perChannel[c] = TensorPrimitives.Sum(perValue.Slice(c * _plane, _plane));
        }
    }

    /// <inheritdoc />
    public override string ToString() => Image is { } image ? $"BatchNorm '{Name}' {Channels} channels of {image}" : $"BatchNorm '{Name}' {Features} features";
}
