using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralSharp.Data;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization;

/// <summary>
/// The safetensors format, as Hugging Face's <c>safetensors</c> reads and writes it:
/// <code>
/// u64 header length N (little-endian)   N bytes of JSON   the tensors' bytes, little-endian, row-major
/// JSON: { "0.weight": {"dtype": "F32", "shape": [out, in], "data_offsets": [begin, end]}, …, "__metadata__": {…} }
/// </code>
/// The tensors are named as the <c>state_dict</c> of the equivalent PyTorch <c>nn.Sequential</c> (layer k's
/// <c>k.weight</c> is Wᵀ, <c>[out, in]</c>, and <c>k.bias</c> is b; a network that starts on images has an
/// <c>nn.Unflatten</c> of its rows first, so its layer k is module k + 1), so that <see cref="PyTorchScript"/>'s module
/// loads them; the metadata keeps the whole model (<c>neuralsharp.model</c>: layers, activations, names, standardizers), so
/// NeuralSharp → safetensors → NeuralSharp is bit-identical. A header is validated whole — its length, its JSON, every
/// dtype and shape, and offsets that cover the data exactly with no gap or overlap — before any tensor is read.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>The longest header read (the reference implementation's own limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string ModelKey = "neuralsharp.model";

    /// <summary>The model as the bytes of a safetensors file.</summary>
    /// <exception cref="NotSupportedException">The network has a layer PyTorch has no module for (see <see cref="PyTorchScript.CheckModules{T}"/>).</exception>
    public static byte[] Serialize<T>(Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        // a layer without a module would leave its values out of the file, which could then not be read back
        PyTorchScript.CheckModules(model.Network);
        string dtype = typeof(T) == typeof(float) ? "F32" : "F64";
        using var data = new MemoryStream();
        var header = new Dictionary<string, object>();
        int first = FirstModule(LayerRecord.From(model.Network.Layers[0]));
        for (int index = 0; index < model.Network.Layers.Count; index++)
        {
            ILayer<T> layer = model.Network.Layers[index];
            using IEnumerator<NDArray<T>> stored = LayerRecord.Stored(layer).GetEnumerator();
            foreach (Tensor tensor in Tensors(LayerRecord.From(layer), first + index))
            {
                // PyTorch keeps a weight as [out, in]: the library's W transposed; a batch norm's counter of batches is
                // not the library's (it is kept for PyTorch's state_dict, always 0)
                if (tensor.Counter)
                {
                    header[tensor.Name] = Entry(data, "I64", [], [0L]);
                    continue;
                }

                stored.MoveNext();
                ReadOnlySpan<T> values = stored.Current.AsSpan();
                header[tensor.Name] = Entry(data, dtype, tensor.Shape, tensor.Transposed is (int rows, int columns) ? ModelFile.Transposed<T>(values, rows, columns) : values);
            }
        }

        header["__metadata__"] = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ModelKey] = JsonSerializer.Serialize(ModelHeader.From(model, ModelFile.ScalarName<T>()), ModelHeaderContext.Default.ModelHeader),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, SafeTensorsJson.Default.DictionaryStringObject);
        // the header is padded with spaces to a multiple of 8, so that the tensors that follow are aligned
        int padded = (json.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        data.ToArray().CopyTo(file, 8 + padded);
        return file;
    }

    /// <summary>Writes the model as a safetensors file, atomically; a model with a non-finite weight is not written.</summary>
    /// <exception cref="NonFiniteValueException">A weight is NaN or infinite.</exception>
    public static void Save<T>(string path, Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelFile.Write(path, model, Serialize);
    }

    /// <summary>Reads a model written by <see cref="Save{T}"/>.</summary>
    /// <exception cref="DataFormatException">The file is not safetensors, is damaged, or lacks the model description NeuralSharp writes.</exception>
    public static Model<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        return Deserialize<T>(ModelFile.Read(path, "safetensors file"), Path.GetFileName(path));
    }

    /// <summary>Reads a model from the bytes of a safetensors file; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">See <see cref="Load{T}"/>.</exception>
    public static Model<T> Deserialize<T>(byte[] bytes, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        (Dictionary<string, Stored> tensors, Dictionary<string, string> metadata, int start) = ReadHeader(bytes, source);
        ModelFile.Require(metadata.TryGetValue(ModelKey, out string? described), source,
            $"has no '{ModelKey}' metadata: a state_dict alone does not say which activations lie between its layers (export it with NeuralSharp, or import the ONNX file instead)");
        ModelHeader header;
        try
        {
            header = JsonSerializer.Deserialize(described!, ModelHeaderContext.Default.ModelHeader) ?? throw new JsonException("empty");
        }
        catch (JsonException error)
        {
            throw new DataFormatException($"{source} has '{ModelKey}' metadata that is not the JSON NeuralSharp writes there (at {error.Path ?? "$"}).", error);
        }

        // the weights in network order, W back to [in, out], as the model file's payload
        int size = header.Scalar == "float32" ? 4 : 8;
        string dtype = size == 4 ? "F32" : "F64";
        using var payload = new MemoryStream();
        int expected = 0, first = header.Layers is [{ } layer0, ..] ? FirstModule(layer0) : 0;
        for (int index = 0; index < (header.Layers?.Count ?? 0); index++)
        {
            LayerRecord? layer = header.Layers![index];
            foreach (Tensor tensor in layer is null ? [] : Tensors(layer, first + index))
            {
                expected++;
                ModelFile.Require(tensors.TryGetValue(tensor.Name, out Stored? stored), source, $"has no tensor '{tensor.Name}' for its layer '{layer!.Name}'");
                if (tensor.Counter)
                {
                    ModelFile.Require(stored!.Dtype == "I64" && stored.Shape.Length == 0, source, $"has '{tensor.Name}' of {stored.Dtype} [{string.Join(", ", stored.Shape)}] where PyTorch keeps one I64 number");
                    continue;
                }

                ModelFile.Require(stored!.Dtype == dtype, source, $"stores '{tensor.Name}' as {stored.Dtype}, not the {dtype} its metadata says");
                ModelFile.Require(stored.Shape.SequenceEqual(tensor.Shape), source, $"has '{tensor.Name}' of shape [{string.Join(", ", stored.Shape)}] where its layer '{layer!.Name}' takes [{string.Join(", ", tensor.Shape)}]");
                // [out, in] back to W [in, out], as the stored numbers (no conversion, so the round trip is exact)
                ReadOnlySpan<byte> values = bytes.AsSpan(start + (int)stored.Begin, (int)(stored.End - stored.Begin));
                payload.Write(tensor.Transposed is not (int rows, int columns) ? values : size == 4
                    ? MemoryMarshal.AsBytes<float>(ModelFile.Transposed(MemoryMarshal.Cast<byte, float>(values), columns, rows))
                    : MemoryMarshal.AsBytes<double>(ModelFile.Transposed(MemoryMarshal.Cast<byte, double>(values), columns, rows)));
            }
        }

        ModelFile.Require(expected == tensors.Count, source, $"holds {tensors.Count} tensors where its layers have {expected}");
        return header.Build<T>(payload.ToArray(), source);
    }

    /// <summary>One tensor of the state_dict: its PyTorch name and shape, the library's [rows, columns] when stored transposed, and whether it is a batch norm's counter (I64, not in the model).</summary>
    private sealed record Tensor(string Name, long[] Shape, (int Rows, int Columns)? Transposed = null, bool Counter = false);

    /// <summary>The module of the network's first layer: 1 when it takes images (the twin unflattens the rows first), else 0.</summary>
    private static int FirstModule(LayerRecord first) => first is { Type: "conv" or "pool" } or { Type: "batch-norm", Input: not null } ? 1 : 0;

    /// <summary>
    /// A layer's tensors under the names of the PyTorch twin's state_dict (<see cref="PyTorchScript"/>), in the order of
    /// the model file's payload: a dense layer's <c>k.weight</c> (Wᵀ) and <c>k.bias</c>; a recurrent layer's
    /// <c>k.rnn.weight_ih_l0</c> (W_xᵀ), <c>weight_hh_l0</c> (W_hᵀ), <c>bias_ih_l0</c>, <c>bias_hh_l0</c> — PyTorch's gate
    /// order is the library's; a dense layer at every step's <c>k.linear.weight</c> and <c>k.linear.bias</c>; a
    /// convolution's <c>k.weight</c> <c>[F, C, KH, KW]</c> (the library's <c>[C·KH·KW, F]</c> transposed) and <c>k.bias</c>;
    /// a batch normalisation's <c>k.weight</c> (γ), <c>k.bias</c> (β), <c>k.running_mean</c>, <c>k.running_var</c> and
    /// <c>k.num_batches_tracked</c>; both directions' <c>…_l0</c> and <c>…_l0_reverse</c>; an embedding's <c>k.embedding.weight</c> <c>[V, D]</c>.
    /// </summary>
    private static Tensor[] Tensors(LayerRecord layer, int index)
    {
        switch (layer.Type)
        {
            case "dense":
                return [new($"{index}.weight", [layer.Outputs, layer.Inputs], (layer.Inputs, layer.Outputs)), new($"{index}.bias", [layer.Outputs])];
            case "conv":
                (ImageShape image, int filters, int kh, int kw) = (layer.Image, layer.Filters!.Value, layer.Kernel![0], layer.Kernel[1]);
                return [new($"{index}.weight", [filters, image.Channels, kh, kw], (image.Channels * kh * kw, filters)), new($"{index}.bias", [filters])];
            case "batch-norm":
                long[] channels = [layer.Input is null ? layer.Inputs : layer.Image.Channels];
                return [new($"{index}.weight", channels), new($"{index}.bias", channels), new($"{index}.running_mean", channels), new($"{index}.running_var", channels),
                    new($"{index}.num_batches_tracked", [], Counter: true)];
            case "rnn" or "lstm" or "gru":
                int width = (layer.Type switch { "lstm" => 4, "gru" => 3, _ => 1 }) * layer.Outputs, features = layer.Sequence.Features;
                Tensor[] weights = [new($"{index}.rnn.weight_ih_l0", [width, features], (features, width)), new($"{index}.rnn.weight_hh_l0", [width, layer.Outputs], (layer.Outputs, width))];
                return layer.Bias == false ? weights : [.. weights, new($"{index}.rnn.bias_ih_l0", [width]), new($"{index}.rnn.bias_hh_l0", [width])];
            case "birnn" or "bilstm" or "bigru":
                // the forward direction's, then the backward one's under PyTorch's _reverse names
                Tensor[] forward = Tensors(layer with { Type = layer.Type[2..] }, index);
                return [.. forward, .. forward.Select(t => t with { Name = t.Name + "_reverse" })];
            case "embedding":
                return [new($"{index}.embedding.weight", [layer.Inputs, layer.Outputs])];
            case "time-dense":
                Tensor weight = new($"{index}.linear.weight", [layer.Outputs, layer.Sequence.Features], (layer.Sequence.Features, layer.Outputs));
                return layer.Bias == false ? [weight] : [weight, new($"{index}.linear.bias", [layer.Outputs])];
            default:
                return [];
        }
    }

    /// <summary>The header, validated whole, and where the data starts.</summary>
    private static (Dictionary<string, Stored> Tensors, Dictionary<string, string> Metadata, int Start) ReadHeader(byte[] bytes, string source)
    {
        ModelFile.Require(bytes.Length >= 8, source, "is too short to be a safetensors file (no header length)");
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ModelFile.Require(length <= MaxHeaderBytes && length <= (ulong)(bytes.Length - 8), source,
            $"claims a header of {length:N0} bytes (the file has {bytes.Length - 8:N0} after the length; at most {MaxHeaderBytes:N0} are read)");
        int start = 8 + (int)length;
        ModelFile.Require(System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(8, (int)length)), source, "has a header that is not UTF-8 text");
        long buffer = bytes.Length - start;
        var tensors = new Dictionary<string, Stored>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes.AsMemory(8, (int)length), new JsonDocumentOptions { MaxDepth = 8 });
            ModelFile.Require(document.RootElement.ValueKind == JsonValueKind.Object, source, "has a header that is not a JSON object");
            long elements = 0;
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    ModelFile.Require(entry.Value.ValueKind == JsonValueKind.Object, source, "has __metadata__ that is not an object of strings");
                    foreach (JsonProperty item in entry.Value.EnumerateObject())
                    {
                        ModelFile.Require(item.Value.ValueKind == JsonValueKind.String, source, $"has metadata '{ModelFile.Excerpt(item.Name)}' that is not a string");
                        metadata[item.Name] = item.Value.GetString()!;
                    }

                    continue;
                }

                string name = ModelFile.Excerpt(entry.Name);
                if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String
                    || !entry.Value.TryGetProperty("shape", out JsonElement shape) || shape.ValueKind != JsonValueKind.Array
                    || !entry.Value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
                {
                    throw new DataFormatException($"{source} has tensor '{name}' without a dtype, a shape and two data_offsets.");
                }
                // I64: a batch norm's num_batches_tracked, which PyTorch's state_dict holds
                int size = dtype.GetString() switch { "F32" => 4, "F64" or "I64" => 8, _ => 0 };
                ModelFile.Require(size > 0, source, $"has tensor '{name}' of dtype {ModelFile.Excerpt(dtype.GetString()!)}; NeuralSharp reads F32, F64 (and I64 counters)");
                long count = 1;
                var dims = new List<long>();
                foreach (JsonElement dim in shape.EnumerateArray())
                {
                    // a string or null where a number belongs is the file's fault, named as such (not the JSON reader's)
                    long d = dim.ValueKind == JsonValueKind.Number && dim.TryGetInt64(out long parsed) ? parsed : -1;
                    ModelFile.Require(d is >= 0 and <= int.MaxValue, source, $"has tensor '{name}' with a dimension that is not a whole number 0 … {int.MaxValue} (field shape)");
                    dims.Add(d);
                    count = Math.Min(count * d, long.MaxValue / int.MaxValue);
                }

                elements += count;
                ModelFile.Require(elements <= NetworkBuilder<double>.MaxParameters, source, $"claims {elements:N0} values by tensor '{name}', more than the {NetworkBuilder<double>.MaxParameters:N0} a network may have");
                if (offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
                    || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || begin > end || end > buffer)
                {
                    throw new DataFormatException($"{source} has tensor '{name}' with data_offsets that are not two whole numbers within the {buffer:N0} bytes of data (field data_offsets).");
                }

                ModelFile.Require(end - begin == count * size, source, $"has tensor '{name}' of shape [{string.Join(", ", dims)}] ({count:N0} × {size} bytes) over {end - begin:N0} bytes");
                tensors[entry.Name] = new Stored(dtype.GetString()!, [.. dims], begin, end);
            }
        }
        catch (JsonException error)
        {
            throw new DataFormatException($"{source} has a header that is not valid JSON (byte {(error.BytePositionInLine ?? 0) + 1}).", error);
        }

        // the tensors tile the data exactly: no gap, no overlap, nothing after the last
        long covered = 0;
        foreach ((string name, Stored tensor) in tensors.OrderBy(t => t.Value.Begin).ThenBy(t => t.Value.End))
        {
            ModelFile.Require(tensor.Begin == covered, source, tensor.Begin < covered
                ? $"has tensor '{ModelFile.Excerpt(name)}' overlapping the one before it" : $"has {tensor.Begin - covered:N0} bytes before tensor '{ModelFile.Excerpt(name)}' that no tensor holds");
            covered = tensor.End;
        }

        ModelFile.Require(covered == buffer, source, $"has {buffer - covered:N0} bytes after its last tensor that no tensor holds");
        return (tensors, metadata, start);
    }

    private static Dictionary<string, object> Entry<T>(MemoryStream data, string dtype, long[] shape, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        long begin = data.Length;
        data.Write(MemoryMarshal.AsBytes(values));
        return new Dictionary<string, object> { ["dtype"] = dtype, ["shape"] = shape, ["data_offsets"] = new[] { begin, data.Length } };
    }

    /// <summary>One tensor of the header: its dtype, shape and bytes within the data.</summary>
    private sealed record Stored(string Dtype, long[] Shape, long Begin, long End);
}

/// <summary>Source-generated JSON for the safetensors header.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long[]))]
internal sealed partial class SafeTensorsJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
