using System.Numerics;
using System.Runtime.InteropServices;
using NeuralSharp.Activations;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization;

/// <summary>
/// One layer in a model file's header: its kind and sizes (the weights follow in the payload, layer by layer: a dense
/// or conv layer's W then b, a batch normalisation's γ, β, running mean and running variance).
/// </summary>
internal sealed record LayerRecord
{
    public string Type { get; init; } = "dense";

    public string Name { get; init; } = "";

    public int Inputs { get; init; }

    public int Outputs { get; init; }

    public string? Activation { get; init; }

    /// <summary>Leaky ReLU's slope for negative inputs (absent for other activations: the default 0.01 when read).</summary>
    public double? Alpha { get; init; }

    /// <summary>The input image of a conv, pool or flatten layer, or of a batch normalisation per channel: channels, height, width.</summary>
    public int[]? Input { get; init; }

    public int? Filters { get; init; }

    /// <summary>A convolution's kernel height and width, or a pooling window's side.</summary>
    public int[]? Kernel { get; init; }

    public int? Stride { get; init; }

    public int? Padding { get; init; }

    /// <summary>A recurrent layer's output: every step's state (true) or the last one's (absent or false).</summary>
    public bool? EveryStep { get; init; }

    /// <summary>A GRU's form: <c>reset-before</c> for the course's (absent: PyTorch's).</summary>
    public string? Form { get; init; }

    /// <summary>False for a recurrent or per-step dense layer without biases (absent: with).</summary>
    public bool? Bias { get; init; }

    /// <summary>Dropout's ratio.</summary>
    public double? Ratio { get; init; }

    public double? Momentum { get; init; }

    public double? Epsilon { get; init; }

    internal ImageShape Image => Input is [int c, int h, int w] ? new ImageShape(c, h, w) : default;

    /// <summary>The input sequence of a recurrent or per-step dense layer: steps, features.</summary>
    internal SequenceShape Sequence => Input is [int t, int f] ? new SequenceShape(t, f) : default;

    private RecurrentOutput Returns => EveryStep == true ? RecurrentOutput.EveryStep : RecurrentOutput.LastStep;

    public static LayerRecord From<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> => layer switch
        {
            Dense<T> dense => new LayerRecord { Type = "dense", Name = dense.Name, Inputs = dense.Inputs, Outputs = dense.Outputs },
            Conv2D<T> conv => new LayerRecord
            {
                Type = "conv", Name = conv.Name, Input = Shape(conv.Input), Filters = conv.Filters, Kernel = [conv.KernelHeight, conv.KernelWidth],
                Stride = conv.Stride, Padding = conv.Padding,
            },
            MaxPool2D<T> pool => new LayerRecord { Type = "pool", Name = pool.Name, Input = Shape(pool.Input), Kernel = [pool.Size], Stride = pool.Stride },
            Flatten<T> flatten => new LayerRecord { Type = "flatten", Name = flatten.Name, Input = Shape(flatten.Input) },
            RecurrentLayer<T> recurrent => new LayerRecord
            {
                Type = recurrent switch { SimpleRnn<T> => "rnn", Lstm<T> => "lstm", _ => "gru" }, Name = recurrent.Name,
                Input = [recurrent.Input.Steps, recurrent.Input.Features], Outputs = recurrent.Hidden,
                Activation = recurrent is SimpleRnn<T> rnn ? Activations.Activation.NameOf(rnn.Activation.Kind) : null,
                EveryStep = recurrent.Output == RecurrentOutput.EveryStep ? true : null, Bias = recurrent.HasBias ? null : false,
                Form = recurrent is Gru<T> { Form: GruForm.ResetBeforeProduct } ? "reset-before" : null,
            },
            // both directions as one record: the forward layer's fields, its weights then the backward layer's
            Bidirectional<T> both => From(both.Forwards) with { Type = "bi" + From(both.Forwards).Type, Name = both.Name },
            Embedding<T> embedding => new LayerRecord { Type = "embedding", Name = embedding.Name, Input = [embedding.Steps], Inputs = embedding.Vocabulary, Outputs = embedding.Dimension },
            TimeDistributedDense<T> step => new LayerRecord
            {
                Type = "time-dense", Name = step.Name, Input = [step.Steps, step.Inputs], Outputs = step.Outputs, Bias = step.HasBias ? null : false,
            },
            Dropout<T> dropout => new LayerRecord { Type = "dropout", Name = dropout.Name, Ratio = dropout.Ratio },
            // images normalised per channel carry their shape; rows (and the per-value form older files hold) do not
            BatchNorm<T> norm => new LayerRecord
            {
                Type = "batch-norm", Name = norm.Name, Inputs = norm.Features, Input = norm.Image is { } image ? Shape(image) : null, Momentum = norm.Momentum, Epsilon = norm.Epsilon,
            },
            ActivationLayer<T> activation when activation.Activation.GetType() == Activations.Activation.Create<T>(activation.Activation.Kind).GetType() => new LayerRecord
            {
                Type = "activation",
                Name = activation.Name,
                Activation = Activations.Activation.NameOf(activation.Activation.Kind),
                Alpha = activation.Activation is LeakyRelu<T> leaky ? double.CreateChecked(leaky.Alpha) : null,
            },
            ActivationLayer<T> activation => throw new NotSupportedException(
                $"The model file cannot store layer '{activation.Name}': its activation ({activation.Activation.GetType().Name}) is not one of the library's."),
            _ => throw new NotSupportedException($"The model file cannot store a layer of type {layer.GetType().Name}."),
        };

    /// <summary>
    /// The payload values this layer claims after a layer of <paramref name="width"/> outputs, and its own output
    /// width — every size checked (in 64-bit arithmetic) against the limits before anything is allocated from it.
    /// </summary>
    public (long Values, int Width) Values(int width, string source)
    {
        const int max = ModelHeader.MaxWidth;
        switch (Type)
        {
            case "dense":
                ModelFile.Require(Inputs is > 0 and <= max && Outputs is > 0 and <= max, source,
                    $"has a dense layer '{Name}' of {Inputs}→{Outputs} units (each side must be 1 … {max:N0})");
                ModelFile.Require(Inputs == width, source, $"has a dense layer '{Name}' taking {Inputs} inputs after a layer of {width}");
                return (((long)Inputs * Outputs) + Outputs, Outputs);
            case "conv" or "pool" or "flatten":
                ModelFile.Require(Input is [> 0 and <= 4096, > 0 and <= 4096, > 0 and <= 4096] && (long)Input[0] * Input[1] * Input[2] <= max, source,
                    $"has a {Type} layer '{Name}' whose input image (field input) is not three sides of 1 … 4096 within {max:N0} values");
                ModelFile.Require(Image.Size == width, source, $"has a {Type} layer '{Name}' taking images of {Image} after a layer of {width} outputs");
                if (Type == "flatten")
                {
                    return (0, width);
                }

                ModelFile.Require(Kernel is [> 0 and <= 64] or [> 0 and <= 64, > 0 and <= 64] && Stride is > 0 and <= 64 && Padding is null or (>= 0 and <= 64)
                    && (Type == "pool" || (Kernel.Length == 2 && Filters is > 0 and <= 4096)), source, $"has a {Type} layer '{Name}' with an impossible kernel, stride, padding or filter count");
                // sizes from the arithmetic alone: nothing is allocated before the payload is known to hold them
                int kh = Kernel![0], kw = Kernel[^1], stride = Stride!.Value, padding = Padding ?? 0;
                // the sides are at most 4096 and kernel, stride and padding at most 64: the layers' own formula cannot overflow
                long height = Kernels.Im2Col.OutputSize(Image.Height, kh, stride, padding), side = Kernels.Im2Col.OutputSize(Image.Width, kw, stride, padding);
                long channels = Type == "conv" ? Filters!.Value : Image.Channels;
                long output = channels * height * side;
                ModelFile.Require(height > 0 && side > 0 && output <= max, source, $"has a {Type} layer '{Name}' of {output:N0} outputs from images of {Image}");
                long weights = Type == "conv" ? (((long)Image.Channels * kh * kw) + 1) * Filters!.Value : 0;
                return (weights, (int)output);
            case "batch-norm":
                ModelFile.Require(Inputs == width && Momentum is >= 0 and <= 1 && Epsilon is > 0 and < 1, source,
                    $"has a batch-norm layer '{Name}' of {Inputs} features after {width}, or without a momentum in [0, 1] and ε in (0, 1)");
                ModelFile.Require(Input is null || (Input is [> 0 and <= 4096, > 0 and <= 4096, > 0 and <= 4096] && Image.Size == width), source,
                    $"has a batch-norm layer '{Name}' whose image (field input) is not three sides of 1 … 4096 holding its {width} features");
                return (4L * (Input is null ? width : Image.Channels), width);
            case "dropout":
                ModelFile.Require(Ratio is >= 0 and < 1, source, $"has a dropout layer '{Name}' whose ratio is not in [0, 1)");
                return (0, width);
            case "activation":
                return (0, width);
            case "embedding":
                ModelFile.Require(Input is [> 0 and <= max] && Input[0] == width && Inputs is > 0 and <= max && Outputs is > 0 and <= 65_536 && (long)Input[0] * Outputs <= max
                    && (long)Inputs * Outputs <= (long)max * 64, source, $"has an embedding layer '{Name}' whose steps (field input), vocabulary (inputs) or dimension (outputs) is impossible after a layer of {width}");
                return ((long)Inputs * Outputs, Input![0] * Outputs);
            case "birnn" or "bilstm" or "bigru":
                (long single, int width1) = (this with { Type = Type[2..] }).Values(width, source);
                return (2 * single, 2 * width1);
            case "rnn" or "lstm" or "gru" or "time-dense":
                ModelFile.Require(Input is [> 0 and <= max, > 0 and <= max] && (long)Input[0] * Input[1] <= max && Outputs is > 0 and <= 65_536
                    && (long)Input[0] * Outputs <= max, source,
                    $"has a {Type} layer '{Name}' whose input sequence (field input: steps, features) or width (field outputs) is not within 1 … {max:N0} values");
                ModelFile.Require(Sequence.Size == width, source, $"has a {Type} layer '{Name}' taking sequences of {Sequence} after a layer of {width} outputs");
                ModelFile.Require(Form is null || (Type == "gru" && Form == "reset-before"), source, $"has a {Type} layer '{Name}' of the form '{ModelFile.Excerpt(Form ?? "")}' (a GRU takes reset-before)");
                ModelFile.Require(Type == "rnn" ? Activation is "tanh" or "sigmoid" or "relu" : Activation is null, source,
                    $"has a {Type} layer '{Name}' with the activation '{ModelFile.Excerpt(Activation ?? "")}' (a simple RNN takes tanh, sigmoid or relu; the others none)");
                long blocks = Type switch { "lstm" => 4, "gru" => 3, _ => 1 } * (long)Outputs;
                long biases = Bias == false ? 0 : Type == "time-dense" ? Outputs : 2 * blocks;
                long features = Sequence.Features, stored = Type == "time-dense" ? (features * Outputs) + biases : ((features + Outputs) * blocks) + biases;
                return (stored, Type == "time-dense" || EveryStep == true ? Sequence.Steps * Outputs : Outputs);
            default:
                throw new Data.DataFormatException($"{source} has a layer '{Name}' of unknown type '{Type}'.");
        }
    }

    /// <summary>The layer, its weights (if any) read from <paramref name="payload"/> at <paramref name="offset"/>.</summary>
    public ILayer<T> Build<T>(ReadOnlySpan<byte> payload, ref int offset, int size, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Type == "activation")
        {
            ActivationKind kind = Activations.Activation.Parse(Activation ?? "");
            ModelFile.Require(Alpha is null || (kind == ActivationKind.LeakyRelu && double.IsFinite(Alpha.Value)), source, $"has a layer '{Name}' with a slope α that only a finite leaky ReLU takes");
            return Alpha is { } alpha ? new ActivationLayer<T>(new LeakyRelu<T>(alpha), Name) : new ActivationLayer<T>(kind, Name);
        }

        ILayer<T> layer = Build<T>();
        foreach ((string part, NDArray<T> tensor) in Named(layer))
        {
            int bytes = tensor.Length * size;
            ModelFile.Require(offset + bytes <= payload.Length, source, $"has fewer weights than its layer '{Name}' needs");
            Read(payload.Slice(offset, bytes), tensor.AsSpan(), size);
            ModelFile.Require(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(tensor.AsSpan()), source,
                $"holds weights that are not finite numbers in '{part}' (a model saved after training diverged?)");
            offset += bytes;
        }

        ModelFile.Require(layer is not BatchNorm<T> bn || System.Numerics.Tensors.TensorPrimitives.Min<T>(bn.RunningVariance.AsSpan()) >= T.Zero, source,
            $"has a negative running variance in layer '{Name}'");
        return layer;
    }

    /// <summary>The values a layer stores in the payload, in order (a batch normalisation's running statistics too).</summary>
    public static IEnumerable<NDArray<T>> Stored<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> => Named(layer).Select(named => named.Values);

    private static IEnumerable<(string Name, NDArray<T> Values)> Named<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        layer is BatchNorm<T> norm ? [(norm.Gamma.Name, norm.Gamma.Value), (norm.Beta.Name, norm.Beta.Value), ($"{norm.Name}.running_mean", norm.RunningMean), ($"{norm.Name}.running_var", norm.RunningVariance)]
            : layer.Parameters.Select(p => (p.Name, p.Value));

    /// <summary>The layer with zero weights, from the record's sizes (checked by <see cref="Values"/> first).</summary>
    private ILayer<T> Build<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Type switch
        {
            "dense" => new Dense<T>(Inputs, Outputs, Name),
            "conv" => new Conv2D<T>(Image, Filters!.Value, Kernel![0], Kernel[1], Stride!.Value, Padding ?? 0, Name),
            "pool" => new MaxPool2D<T>(Image, Kernel![0], Stride, Name),
            "flatten" => new Flatten<T>(Image, Name),
            "dropout" => new Dropout<T>(Ratio!.Value, name: Name),
            "batch-norm" => Input is null ? new BatchNorm<T>(Inputs, Momentum!.Value, Epsilon!.Value, Name) : new BatchNorm<T>(Image, Momentum!.Value, Epsilon!.Value, Name),
            "rnn" => new SimpleRnn<T>(Sequence, Outputs, Activations.Activation.Parse(Activation!), Returns, Bias != false, Name),
            "lstm" => new Lstm<T>(Sequence, Outputs, Returns, Bias != false, Name),
            "gru" => new Gru<T>(Sequence, Outputs, Returns, Bias != false, Name, Form == "reset-before" ? GruForm.ResetBeforeProduct : GruForm.PyTorch),
            "embedding" => new Embedding<T>(Input![0], Inputs, Outputs, Name),
            "time-dense" => new TimeDistributedDense<T>(Sequence.Steps, Sequence.Features, Outputs, Bias != false, Name),
            "birnn" or "bilstm" or "bigru" => new Bidirectional<T>((RecurrentLayer<T>)(this with { Type = Type[2..] }).Build<T>(), (RecurrentLayer<T>)(this with { Type = Type[2..] }).Build<T>(), Name),
            _ => throw new InvalidOperationException(Type),
        };

    private static int[] Shape(ImageShape image) => [image.Channels, image.Height, image.Width];

    private static void Read<T>(ReadOnlySpan<byte> bytes, Span<T> values, int size)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (size == 4)
        {
            ReadOnlySpan<float> stored = MemoryMarshal.Cast<byte, float>(bytes);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateChecked(stored[i]);
            }
        }
        else
        {
            ReadOnlySpan<double> stored = MemoryMarshal.Cast<byte, double>(bytes);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateChecked(stored[i]);
            }
        }
    }
}
