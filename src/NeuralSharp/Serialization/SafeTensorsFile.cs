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
/// <c>k.weight</c> is Wᵀ, <c>[out, in]</c>, and <c>k.bias</c> is b), so that <see cref="PyTorchScript"/>'s module loads
/// them; the metadata keeps the whole model (<c>neuralsharp.model</c>: layers, activations, names, standardizers), so
/// NeuralSharp → safetensors → NeuralSharp is bit-identical. A header is validated whole — its length, its JSON, every
/// dtype and shape, and offsets that cover the data exactly with no gap or overlap — before any tensor is read.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>The longest header read (the reference implementation's own limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string ModelKey = "neuralsharp.model";

    /// <summary>The model as the bytes of a safetensors file.</summary>
    /// <exception cref="NotSupportedException">The network has a layer besides dense ones and activations (its state_dict form is not written yet).</exception>
    public static byte[] Serialize<T>(Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Network.Layers.FirstOrDefault(layer => layer is not (Dense<T> or ActivationLayer<T>)) is { } other)
        {
            // its values would be missing from the file, which could then not be read back
            throw new NotSupportedException($"safetensors export takes dense layers and activations; layer '{other.Name}' ({other.GetType().Name.Split('`')[0]}) has no form there yet (export ONNX instead).");
        }

        string dtype = typeof(T) == typeof(float) ? "F32" : "F64";
        using var data = new MemoryStream();
        var header = new Dictionary<string, object>();
        for (int index = 0; index < model.Network.Layers.Count; index++)
        {
            if (model.Network.Layers[index] is not Dense<T> dense)
            {
                continue;
            }

            // PyTorch's Linear keeps weight as [out, in]: W transposed
            T[] transposed = ModelFile.Transposed<T>(dense.Weights.Value.AsSpan(), dense.Inputs, dense.Outputs);
            header[$"{index}.weight"] = Entry(data, dtype, [dense.Outputs, dense.Inputs], transposed);
            header[$"{index}.bias"] = Entry(data, dtype, [dense.Outputs], dense.Bias.Value.AsSpan());
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
        int dense = 0;
        for (int index = 0; index < (header.Layers?.Count ?? 0); index++)
        {
            LayerRecord layer = header.Layers![index];
            if (layer?.Type != "dense")
            {
                continue;
            }

            dense++;
            if (!tensors.TryGetValue($"{index}.weight", out Stored? weight) || !tensors.TryGetValue($"{index}.bias", out Stored? bias))
            {
                throw new DataFormatException($"{source} has no tensors '{index}.weight' and '{index}.bias' for its layer '{layer.Name}'.");
            }

            ModelFile.Require(weight.Dtype == dtype && bias.Dtype == dtype, source, $"stores layer {index} as {weight.Dtype}, not the {dtype} its metadata says");
            ModelFile.Require(weight.Shape is [var rows, var columns] && rows == layer.Outputs && columns == layer.Inputs && bias.Shape is [var length] && length == layer.Outputs, source,
                $"has '{index}.weight' of shape [{string.Join(", ", weight.Shape)}] and '{index}.bias' of [{string.Join(", ", bias.Shape)}] for a layer of {layer.Inputs}→{layer.Outputs}");
            // [out, in] back to W [in, out], as the stored numbers (no conversion, so the round trip is exact)
            ReadOnlySpan<byte> w = bytes.AsSpan(start + (int)weight.Begin, (int)(weight.End - weight.Begin));
            payload.Write(size == 4
                ? MemoryMarshal.AsBytes<float>(ModelFile.Transposed(MemoryMarshal.Cast<byte, float>(w), layer.Outputs, layer.Inputs))
                : MemoryMarshal.AsBytes<double>(ModelFile.Transposed(MemoryMarshal.Cast<byte, double>(w), layer.Outputs, layer.Inputs)));
            payload.Write(bytes.AsSpan(start + (int)bias.Begin, (int)(bias.End - bias.Begin)));
        }

        ModelFile.Require(dense * 2 == tensors.Count, source, $"holds {tensors.Count} tensors where its {dense} dense layers have {dense * 2}");
        return header.Build<T>(payload.ToArray(), source);
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
                int size = dtype.GetString() switch { "F32" => 4, "F64" => 8, _ => 0 };
                ModelFile.Require(size > 0, source, $"has tensor '{name}' of dtype {ModelFile.Excerpt(dtype.GetString()!)}; NeuralSharp reads F32 and F64");
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
