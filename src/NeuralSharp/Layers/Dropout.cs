using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// Inverted dropout (Deep Learning from Scratch §6.4.3, scaled at training time as PyTorch does): while training, each
/// value is kept with probability 1 − p and then divided by 1 − p, so that inference needs no rescaling and is the
/// identity.
/// <code>
/// y = x ⊙ m,  m = 1/(1 − p) where u ≥ p, else 0          forward (training); y = x at inference
/// ∂L/∂x = ∂L/∂y ⊙ m                                        backward
/// </code>
/// The mask is a function of the seed, the step and the position (a splitmix hash), so a run is repeatable and
/// every forward pass of one step — a numerical gradient check's many — sees the same mask; the network moves to
/// the next step's mask before each training step (<see cref="BeginStep"/>).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dropout<T> : ITrainingModeLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new(), _masks = new(), _inputGradients = new();
    private readonly ulong _seed;
    private NDArray<T>? _mask;
    private long _step, _maskStep = -1;

    /// <summary>Creates the layer dropping a fraction <paramref name="ratio"/> (0 ≤ p &lt; 1) of its inputs while training.</summary>
    public Dropout(double ratio, ulong seed = 0, string? name = null)
    {
        if (!(ratio >= 0 && ratio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "Dropout: the ratio p must lie in [0, 1).");
        }

        Ratio = ratio;
        _seed = seed;
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name { get; set; }

    /// <summary>The fraction p of values dropped while training.</summary>
    public double Ratio { get; }

    /// <inheritdoc />
    public bool Training { get; set; } = true;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth;

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        LastInput = x;
        if (!Training || Ratio == 0)
        {
            _mask = null;
            LastOutput = x;
            return x;
        }

        NDArray<T> mask = _masks.Get(x.Rows, x.Shape[1]);
        if (_maskStep != _step || !ReferenceEquals(mask, _mask))
        {
            Fill(mask.AsSpan());
            _maskStep = _step;
        }

        _mask = mask;
        NDArray<T> y = _outputs.Get(x.Rows, x.Shape[1]);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.AsSpan(), mask.AsSpan(), y.AsSpan());
        LastOutput = y;
        return y;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"Dropout layer '{Name}': call Forward before Backward.");
        LastOutputGradient = outputGradient;
        if (_mask is null)
        {
            return outputGradient;
        }

        NDArray<T> dx = _inputGradients.Get(x.Rows, x.Shape[1]);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.AsSpan(), _mask.AsSpan(), dx.AsSpan());
        return dx;
    }

    /// <inheritdoc />
    public void BeginStep() => _step++;

    private void Fill(Span<T> mask)
    {
        T kept = T.One / T.CreateChecked(1 - Ratio);
        ulong threshold = (ulong)(Ratio * 9007199254740992.0); // p·2⁵³
        ulong stream = _seed ^ ((ulong)_step * 0xD1B54A32D192ED03UL);
        for (int i = 0; i < mask.Length; i++)
        {
            ulong z = stream + ((ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            mask[i] = (z >> 11) >= threshold ? kept : T.Zero;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout '{Name}' p = {Ratio}";
}
