using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Layers;

/// <summary>
/// What every recurrent layer shares: a cell applied at each step t = 1 … T to the step's input and the state before,
/// and backpropagation through time (BPTT) back over the whole sequence. With G gate blocks of H units,
/// <code>
/// aₜ = xₜ·W_x + b_x  (+ hₜ₋₁·W_h + b_h)       [batch, G·H]   every step's input product in one GEMM; the state's, one per step
/// hₜ = cell(aₜ, hₜ₋₁)                                          the subclass: SimpleRnn, Lstm, Gru
/// ∂L/∂W_x = Σₜ xₜᵀ·δaₜ,  ∂L/∂b_x = Σₜ Σ δaₜ,  ∂L/∂xₜ = δaₜ·W_xᵀ        one GEMM each over all steps
/// ∂L/∂W_h = Σₜ hₜ₋₁ᵀ·δuₜ, ∂L/∂b_h = Σₜ Σ δuₜ, ∂L/∂hₜ₋₁ = δuₜ·W_hᵀ (+ the cell's direct term)
/// </code>
/// where uₜ = hₜ₋₁·W_h + b_h and δuₜ its gradient (equal to δaₜ unless the cell keeps uₜ apart, as the GRU does).
/// The parameters are PyTorch's (<c>weight_ih_l0ᵀ</c>, <c>weight_hh_l0ᵀ</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>), so a
/// run steps as PyTorch's does; the course's single bias b is b_x + b_h.
/// </summary>
/// <remarks>
/// Inside, sequences run time-major (<c>[T·batch, …]</c>, step t's rows together), so each step reads and writes one
/// contiguous block; the layer's input and output keep the batch-major layout of <see cref="SequenceShape"/>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract partial class RecurrentLayer<T> : ILayer<T>, IWorkingMemory
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _inputs = new(), _products = new(), _stateProducts = new(), _states = new(), _outputs = new();
    private readonly BufferCache<T> _productGradients = new(), _stateProductGradients = new(), _inputGradients = new(), _timeMajorInputGradients = new();
    private readonly BufferCache<T> _stateGradient = new(), _previousStateGradient = new();
    private readonly Parameter<T>[] _parameters;
    private NDArray<T>? _timeMajorInput, _stateBuffer, _product, _stateProduct, _gateGradients;
    private string? _operation;
    private readonly BufferCache<T> _carry = new();
    private NDArray<T>? _carried;
    private readonly PackedMatrix<T> _packedStateWeights = new(), _packedStateWeightsTransposed = new();

    /// <summary>Creates the layer with zero weights; an initializer (or the builder) fills them.</summary>
    /// <param name="input">The steps and features of one sequence.</param>
    /// <param name="hidden">H, the state's width.</param>
    /// <param name="gates">G, the blocks of H the cell computes from each step (1 for a simple RNN, 4 for an LSTM, 3 for a GRU).</param>
    /// <param name="output">The last step's state, or every step's.</param>
    /// <param name="bias">Whether the layer has b_x and b_h (the course's 3_1 network has none).</param>
    /// <param name="name">The layer's name.</param>
    protected RecurrentLayer(SequenceShape input, int hidden, int gates, RecurrentOutput output, bool bias, string? name)
    {
        Input = input.Validated(nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        if ((long)hidden * gates * Math.Max(hidden, input.Features) > int.MaxValue / 8)
        {
            throw new ArgumentOutOfRangeException(nameof(hidden), $"A recurrent layer of {hidden} units over {input.Features} features is too large.");
        }

        (Hidden, Gates, Output, HasBias) = (hidden, gates, output, bias);
        InputWeights = new Parameter<T>("Wx", new NDArray<T>(input.Features, gates * hidden));
        StateWeights = new Parameter<T>("Wh", new NDArray<T>(hidden, gates * hidden));
        InputBias = new Parameter<T>("bx", new NDArray<T>(new Shape(gates * hidden)));
        StateBias = new Parameter<T>("bh", new NDArray<T>(new Shape(gates * hidden)));
        _parameters = bias ? [InputWeights, StateWeights, InputBias, StateBias] : [InputWeights, StateWeights];
        Name = name ?? "";
    }

    /// <inheritdoc />
    public string Name
    {
        get;
        set
        {
            field = value;
            string prefix = string.IsNullOrEmpty(value) ? "" : value + ".";
            (InputWeights.Name, StateWeights.Name, InputBias.Name, StateBias.Name) = (prefix + "Wx", prefix + "Wh", prefix + "bx", prefix + "bh");
        }
    }

    /// <summary>The steps and features of one input sequence.</summary>
    public SequenceShape Input { get; }

    /// <summary>H, the width of the state hₜ.</summary>
    public int Hidden { get; }

    /// <summary>G, the blocks of H units the cell computes per step.</summary>
    public int Gates { get; }

    /// <summary>The last step's state or every step's.</summary>
    public RecurrentOutput Output { get; }

    /// <summary>Whether the layer has biases.</summary>
    public bool HasBias { get; }

    /// <summary>W_x, <c>[F, G·H]</c>: the step's input to every gate (PyTorch's <c>weight_ih_l0ᵀ</c>).</summary>
    public Parameter<T> InputWeights { get; }

    /// <summary>W_h, <c>[H, G·H]</c>: the state before to every gate (PyTorch's <c>weight_hh_l0ᵀ</c>).</summary>
    public Parameter<T> StateWeights { get; }

    /// <summary>b_x, <c>[G·H]</c> (PyTorch's <c>bias_ih_l0</c>; zeros and not learned without biases).</summary>
    public Parameter<T> InputBias { get; }

    /// <summary>b_h, <c>[G·H]</c> (PyTorch's <c>bias_hh_l0</c>; zeros and not learned without biases).</summary>
    public Parameter<T> StateBias { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>
    /// h₀ for every sequence of the next batches, <c>[batch, H]</c> (or one row for all), or null for zeros (the default).
    /// </summary>
    public NDArray<T>? InitialState { get; set; }

    /// <summary>
    /// Truncated BPTT over a long series cut into consecutive chunks (DLfS's stateful <c>TimeRNN</c>): each forward pass
    /// starts from the state the last one ended with — row by row, so row i of every batch must continue row i of the
    /// one before, unshuffled — and backpropagation stops at the chunk's start. A batch of another size, or
    /// <see cref="ResetState"/>, starts from <see cref="InitialState"/> (zeros) again.
    /// </summary>
    public bool CarryState { get; set; }

    /// <summary>Forgets the carried state: the next pass starts from <see cref="InitialState"/> (zeros).</summary>
    public virtual void ResetState() => _carried = null;

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <summary>The batch of the last forward pass.</summary>
    protected int Batch { get; private set; }

    /// <inheritdoc />
    public long WorkingValues(int batch)
    {
        // every step's input (and its gradient, twice), gate inputs and their gradients (twice where the state product is
        // kept apart), states, an LSTM's cells or a GRU's extras, and the output
        long rows = (long)Input.Steps * batch, gates = (long)Gates * Hidden;
        return (rows * ((3L * Input.Features) + (gates * (KeepsStateProduct ? 4 : 2)) + (4L * Hidden))) + (8L * batch * Hidden) + ((long)batch * OutputWidth(Input.Size));
    }

    /// <summary>The width of the output for an input of <paramref name="inputWidth"/> values.</summary>
    public int OutputWidth(int inputWidth) => inputWidth == Input.Size
        ? (Output == RecurrentOutput.LastStep ? Hidden : Input.Steps * Hidden)
        : throw new ShapeMismatchException($"{Kind} layer '{Name}' expects sequences of {Input} ([batch, {Input.Size}]) but got [batch, {inputWidth}].");

    /// <summary>The state hₜ of every sequence after step t (t = 0 is h₀), <c>[batch·H]</c>, from the last forward pass.</summary>
    public ReadOnlySpan<T> State(int t) => Block(_stateBuffer ?? throw NoForward(), t, Hidden);

    /// <summary>The layer's kind, for messages: "SimpleRnn", "Lstm", "Gru".</summary>
    protected abstract string Kind { get; }

    /// <summary>Whether the cell needs uₜ = hₜ₋₁·W_h + b_h apart from aₜ (else it is added into aₜ).</summary>
    protected virtual bool KeepsStateProduct => false;

    /// <summary>
    /// One step forward: from the step's gate inputs <paramref name="a"/> (<c>[batch, G·H]</c>, the cell may overwrite
    /// them with what its backward pass needs), the state product <paramref name="u"/> (empty unless
    /// <see cref="KeepsStateProduct"/>) and hₜ₋₁, writes hₜ.
    /// </summary>
    protected abstract void StepForward(int t, Span<T> a, ReadOnlySpan<T> u, ReadOnlySpan<T> previous, Span<T> state);

    /// <summary>
    /// One step back: from <paramref name="dState"/> = ∂L/∂hₜ, writes δaₜ into <paramref name="da"/>, δuₜ into
    /// <paramref name="du"/> (empty unless <see cref="KeepsStateProduct"/>) and the part of ∂L/∂hₜ₋₁ that does not go
    /// through W_h into <paramref name="dPrevious"/> (zeros if none). Steps come last to first.
    /// </summary>
    protected abstract void StepBackward(int t, ReadOnlySpan<T> dState, ReadOnlySpan<T> previous, Span<T> da, Span<T> du, Span<T> dPrevious);

    /// <summary>Called at the end of each backward pass, after the weights' gradients, for a cell with parameters of its own making.</summary>
    protected virtual void AfterBackward()
    {
    }

    /// <summary>Called before each forward pass with its batch, for the cell to size its own buffers.</summary>
    protected abstract void Prepare(int batch);

    /// <summary>aₜ (t = 1 … T) as the last forward pass left it: the gate inputs, or what the cell wrote over them.</summary>
    protected Span<T> GateInputs(int t) => Block(_product ?? throw NoForward(), t - 1, Gates * Hidden);

    /// <summary>uₜ = hₜ₋₁·W_h + b_h (t = 1 … T) from the last forward pass, when the cell keeps it apart.</summary>
    protected ReadOnlySpan<T> StateProducts(int t) => Block(_stateProduct ?? throw NoForward(), t - 1, Gates * Hidden);

    /// <summary>Block t of a time-major buffer <c>[steps·batch, width]</c>.</summary>
    protected Span<T> Block(NDArray<T> buffer, int t, int width) => buffer.AsSpan().Slice(t * Batch * width, Batch * width);

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        Guard.IsBatch(x, Input.Size, _operation ??= $"{Kind} layer", Name);
        int batch = x.Rows, steps = Input.Steps, features = Input.Features, width = Gates * Hidden;
        Batch = batch;
        Prepare(batch);
        NDArray<T> xs = _timeMajorInput = _inputs.Get(steps * batch, features);
        TimeMajor.FromBatchMajor(x.AsSpan(), xs.AsSpan(), batch, steps, features);
        // a = xs·W_x + b_x for every step at once
        NDArray<T> a = _product = _products.Get(steps * batch, width);
        Gemm.Multiply<T>(xs.AsSpan(), InputWeights.Value.AsSpan(), a.AsSpan(), m: steps * batch, n: width, k: features);
        if (HasBias)
        {
            RowOps.AddToEachRow<T>(a.AsSpan(), InputBias.Value.AsSpan());
            if (!KeepsStateProduct)
            {
                // b_h goes in with b_x once, not step by step
                RowOps.AddToEachRow<T>(a.AsSpan(), StateBias.Value.AsSpan());
            }
        }

        NDArray<T> h = _stateBuffer = _states.Get((steps + 1) * batch, Hidden);
        SetInitialState(h.AsSpan()[..(batch * Hidden)], batch);
        NDArray<T>? u = _stateProduct = KeepsStateProduct ? _stateProducts.Get(steps * batch, width) : null;
        // W_h packed once for the T products with it
        _packedStateWeights.Pack(StateWeights.Value.AsSpan(), Hidden, width, rows: batch);
        for (int t = 1; t <= steps; t++)
        {
            Span<T> at = Block(a, t - 1, width), previous = Block(h, t - 1, Hidden);
            // uₜ = hₜ₋₁·W_h + b_h, apart or straight into aₜ
            Span<T> ut = u is null ? at : Block(u, t - 1, width);
            Gemm.Multiply<T>(previous, StateWeights.Value.AsSpan(), _packedStateWeights, ut, m: batch, n: width, k: Hidden, accumulate: u is null);
            if (HasBias && u is not null)
            {
                RowOps.AddToEachRow<T>(ut, StateBias.Value.AsSpan());
            }

            StepForward(t, at, u is null ? default : ut, previous, Block(h, t, Hidden));
        }

        if (CarryState)
        {
            // the next pass starts where this one ends (its gradient stops here: truncated BPTT)
            Block(h, steps, Hidden).CopyTo((_carried = _carry.Get(batch, Hidden)).AsSpan());
        }

        NDArray<T> y = Output == RecurrentOutput.LastStep ? _outputs.Get(batch, Hidden) : _outputs.Get(batch, steps * Hidden);
        if (Output == RecurrentOutput.LastStep)
        {
            Block(h, steps, Hidden).CopyTo(y.AsSpan());
        }
        else
        {
            TimeMajor.ToBatchMajor(h.AsSpan()[(batch * Hidden)..], y.AsSpan(), batch, steps, Hidden);
        }

        LastInput = x;
        LastOutput = y;
        return y;
    }

    private void SetInitialState(Span<T> h0, int batch)
    {
        if (CarryState && _carried is { } carried && carried.Rows == batch)
        {
            carried.AsSpan().CopyTo(h0);
            return;
        }

        if (InitialState is not { } given)
        {
            h0.Clear();
            return;
        }

        if (given.Rank != 2 || given.Shape[1] != Hidden || (given.Rows != 1 && given.Rows != batch))
        {
            throw new ShapeMismatchException($"{Kind} layer '{Name}' has an initial state of {given.Shape}; it takes [batch, {Hidden}] or [1, {Hidden}] for a batch of {batch}.");
        }

        for (int b = 0; b < batch; b++)
        {
            given.AsSpan().Slice((given.Rows == 1 ? 0 : b) * Hidden, Hidden).CopyTo(h0.Slice(b * Hidden, Hidden));
        }
    }

    private InvalidOperationException NoForward() => new($"{Kind} layer '{Name}': call Forward before Backward.");
}
