using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// Two recurrent layers over one sequence, one reading it forward and one backward, their states side by side — each
/// step then knows what came before it and what comes after (PyTorch's <c>bidirectional=True</c>, Keras's <c>Bidirectional</c>):
/// <code>
/// h→ₜ = forward layer over x₁ … x_T        h←ₜ = backward layer over x_T … x₁, at step t
/// every step: yₜ = [h→ₜ, h←ₜ]   [batch, T·2H]          last step: y = [h→_T, h←₁] (both final states)   [batch, 2H]
/// backward: the gradient split in halves, the backward layer's half reversed in time; ∂L/∂x = ∂L/∂x→ + reversed ∂L/∂x←
/// </code>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Bidirectional<T> : ILayer<T>, IWorkingMemory
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _reversed = new(), _outputs = new(), _forwardGradients = new(), _backwardGradients = new(), _inputGradients = new();
    private readonly Parameter<T>[] _parameters;

    /// <summary>Pairs two layers of the same shape; <paramref name="backward"/> reads the sequence last step first.</summary>
    /// <exception cref="ArgumentException">The layers differ in input, width, kind or output.</exception>
    public Bidirectional(RecurrentLayer<T> forward, RecurrentLayer<T> backward, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        if (forward.GetType() != backward.GetType() || forward.Input != backward.Input || forward.Hidden != backward.Hidden || forward.Output != backward.Output)
        {
            throw new ArgumentException("A bidirectional layer pairs two recurrent layers of one kind, input, width and output.", nameof(backward));
        }

        (Forwards, Backwards) = (forward, backward);
        _parameters = [.. forward.Parameters, .. backward.Parameters];
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name
    {
        get;
        set
        {
            field = value;
            (Forwards.Name, Backwards.Name) = string.IsNullOrEmpty(value) ? ("forward", "backward") : ($"{value}.forward", $"{value}.backward");
        }
    }

    /// <summary>The layer that reads the sequence first step first.</summary>
    public RecurrentLayer<T> Forwards { get; }

    /// <summary>The layer that reads it last step first.</summary>
    public RecurrentLayer<T> Backwards { get; }

    /// <summary>The steps and features of one input sequence.</summary>
    public SequenceShape Input => Forwards.Input;

    /// <summary>H, each direction's width (the output has 2H per step).</summary>
    public int Hidden => Forwards.Hidden;

    /// <summary>The final states of both directions, or every step's.</summary>
    public RecurrentOutput Output => Forwards.Output;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => 2 * Forwards.OutputWidth(inputWidth);

    /// <inheritdoc />
    public long WorkingValues(int batch) => Forwards.WorkingValues(batch) + Backwards.WorkingValues(batch) + (3L * batch * (Input.Size + OutputWidth(Input.Size)));

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Input.Size, "Bidirectional layer", Name);
        int batch = x.Rows, h = Hidden;
        NDArray<T> reversed = _reversed.Get(batch, Input.Size);
        Reverse(x.AsSpan(), reversed.AsSpan(), batch, Input.Steps, Input.Features);
        ReadOnlySpan<T> ahead = Forwards.Forward(x).AsSpan(), behind = Backwards.Forward(reversed).AsSpan();
        NDArray<T> y = _outputs.Get(batch, OutputWidth(Input.Size));
        Span<T> to = y.AsSpan();
        int steps = Output == RecurrentOutput.LastStep ? 1 : Input.Steps;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                // step t: [h→ₜ, h←ₜ], the backward layer's state at t being its (T − 1 − t)-th
                int row = ((b * steps) + t) * 2 * h;
                ahead.Slice(((b * steps) + t) * h, h).CopyTo(to.Slice(row, h));
                behind.Slice(((b * steps) + (steps - 1 - t)) * h, h).CopyTo(to.Slice(row + h, h));
            }
        }

        LastInput = x;
        LastOutput = y;
        return y;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        (NDArray<T> ahead, NDArray<T> behind) = Split(outputGradient);
        ReadOnlySpan<T> fromAhead = Forwards.Backward(ahead).AsSpan(), fromBehind = Backwards.Backward(behind).AsSpan();
        int batch = outputGradient.Rows;
        NDArray<T> dx = _inputGradients.Get(batch, Input.Size);
        Reverse(fromBehind, dx.AsSpan(), batch, Input.Steps, Input.Features);
        System.Numerics.Tensors.TensorPrimitives.Add(dx.AsSpan(), fromAhead, dx.AsSpan());
        return dx;
    }

    /// <inheritdoc />
    public void BackwardToParameters(NDArray<T> outputGradient)
    {
        (NDArray<T> ahead, NDArray<T> behind) = Split(outputGradient);
        Forwards.BackwardToParameters(ahead);
        Backwards.BackwardToParameters(behind);
    }

    /// <summary>The output's gradient as each direction's, the backward layer's in its own (reversed) time.</summary>
    private (NDArray<T> Ahead, NDArray<T> Behind) Split(NDArray<T> outputGradient)
    {
        NDArray<T> x = LastInput ?? throw new InvalidOperationException($"Bidirectional layer '{Name}': call Forward before Backward.");
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (outputGradient.Shape != new Shape(x.Rows, OutputWidth(Input.Size)))
        {
            throw new ShapeMismatchException($"Bidirectional layer '{Name}' backward expects δ [{x.Rows}, {OutputWidth(Input.Size)}] (the shape of its output) but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        int batch = x.Rows, h = Hidden, steps = Output == RecurrentOutput.LastStep ? 1 : Input.Steps;
        NDArray<T> ahead = _forwardGradients.Get(batch, steps * h), behind = _backwardGradients.Get(batch, steps * h);
        ReadOnlySpan<T> from = outputGradient.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                int row = ((b * steps) + t) * 2 * h;
                from.Slice(row, h).CopyTo(ahead.AsSpan().Slice(((b * steps) + t) * h, h));
                from.Slice(row + h, h).CopyTo(behind.AsSpan().Slice(((b * steps) + (steps - 1 - t)) * h, h));
            }
        }

        return (ahead, behind);
    }

    /// <summary>Each row's T steps of <paramref name="width"/> in reverse order.</summary>
    private static void Reverse(ReadOnlySpan<T> from, Span<T> to, int batch, int steps, int width)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                from.Slice(((b * steps) + t) * width, width).CopyTo(to.Slice(((b * steps) + (steps - 1 - t)) * width, width));
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Bidirectional '{Name}' ({Forwards} | {Backwards})";
}
