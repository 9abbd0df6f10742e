using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using NeuralSharp.Data;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization;

/// <summary>
/// The model file: versioned, self-checking, written atomically.
/// <code>
/// "NSMODEL\n"  u32 version  u32 header length  header (UTF-8 JSON: layers, task, names, standardizer, scalar type)
/// u64 payload length  payload (every parameter, network order, little-endian float32 or float64)
/// SHA-256 of all the bytes before it (32 bytes)
/// </code>
/// A truncated, bit-flipped or newer-version file is refused with a clear <see cref="DataFormatException"/> before
/// anything is built, so a model is loaded whole or not at all.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const int Version = 1;

    private static readonly byte[] Magic = "NSMODEL\n"u8.ToArray();

    /// <summary>Writes the model to <paramref name="path"/> atomically: a temporary file beside it, then a rename.</summary>
    /// <exception cref="NonFiniteValueException">A weight is NaN or infinite (nothing is written).</exception>
    public static void Save<T>(string path, Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Write(path, model, Serialize);
    }

    /// <summary>
    /// Writes a model in any format atomically, after its weights are checked: a model that cannot predict is not
    /// written over anything.
    /// </summary>
    /// <exception cref="NonFiniteValueException">A weight is NaN or infinite (nothing is written).</exception>
    internal static void Write<T>(string path, Model<T> model, Func<Model<T>, byte[]> serialize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        RequireFinite(model);
        AtomicFile.Write(path, serialize(model));
    }

    /// <summary>The bytes of a model file of any format, its size bounded before it is read.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="DataFormatException">The file is larger than <see cref="MaxBytes"/>.</exception>
    internal static byte[] Read(string path, string kind)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"No {kind} at '{path}'.", path);
        }

        Require(file.Length <= MaxBytes, file.Name, $"is {file.Length:N0} bytes; a model is read from at most {MaxBytes:N0}");
        return File.ReadAllBytes(path);
    }

    /// <summary>The largest model file (of any format) read: far above a network within the library's parameter budget.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Throws when a weight is not finite: a model that cannot predict is not written over anything, in any format.</summary>
    /// <exception cref="NonFiniteValueException">A weight is NaN or infinite.</exception>
    internal static void RequireFinite<T>(Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (Parameter<T> parameter in model.Network.Parameters)
        {
            Guard.AllFinite(parameter.Value.AsSpan(), parameter.Value.Rank == 2 ? parameter.Value.Columns : parameter.Value.Length, $"Parameter '{parameter.Name}' of the model to save");
        }
    }

    /// <summary>Reads a model, converting its weights to <typeparamref name="T"/> if they were stored as the other type.</summary>
    /// <exception cref="DataFormatException">The file is not a model file, is corrupt, truncated, or from a newer version.</exception>
    public static Model<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        return Deserialize<T>(Read(path, "model file"), Path.GetFileName(path));
    }

    /// <summary>The bytes of a model file.</summary>
    public static byte[] Serialize<T>(Model<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(ModelHeader.From(model, ScalarName<T>()), ModelHeaderContext.Default.ModelHeader);
        var payload = new List<byte>();
        foreach (NDArray<T> values in model.Network.Layers.SelectMany(LayerRecord.Stored))
        {
            payload.AddRange(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }

        using var stream = new MemoryStream();
        stream.Write(Magic);
        WriteUInt32(stream, Version);
        WriteUInt32(stream, (uint)header.Length);
        stream.Write(header);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)payload.Count);
        stream.Write(length);
        stream.Write(CollectionsMarshal.AsSpan(payload));
        stream.Write(SHA256.HashData(stream.ToArray()));
        return stream.ToArray();
    }

    /// <summary>Builds a model from the bytes of a model file; <paramref name="source"/> names it in errors.</summary>
    public static Model<T> Deserialize<T>(byte[] bytes, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Require(bytes.Length >= Magic.Length + 8 && bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic), source,
            "is not a NeuralSharp model file (it does not start with NSMODEL)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        Require(version <= Version, source,
            $"was written by a newer NeuralSharp (model format {version}); this version reads format {Version} and older. Update NeuralSharp to load it");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        long payloadStart = 16L + headerLength + 8;
        Require(bytes.Length >= payloadStart, source, $"is truncated: {bytes.Length} bytes, too short for its own header");
        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)(16 + headerLength)));
        long expected = payloadStart + (long)payloadLength + 32;
        Require(bytes.Length == expected, source,
            bytes.Length < expected ? $"is truncated: {bytes.Length} bytes of the {expected} it declares" : $"has {bytes.Length - expected} unexpected bytes at its end");
        byte[] hash = SHA256.HashData(bytes.AsSpan(0, (int)(expected - 32)));
        Require(hash.AsSpan().SequenceEqual(bytes.AsSpan((int)(expected - 32))), source,
            "is corrupt: its checksum does not match its contents (the file was changed or damaged after it was written)");
        ModelFile.Require(System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(16, (int)headerLength)), source, "has a header that is not UTF-8 text");
        ModelHeader header;
        try
        {
            header = JsonSerializer.Deserialize(bytes.AsSpan(16, (int)headerLength), ModelHeaderContext.Default.ModelHeader)
                ?? throw new JsonException("empty header");
        }
        catch (JsonException error)
        {
            // the parser's own message quotes the rest of the header: name the place instead
            throw new DataFormatException($"{source} has an unreadable header: not the JSON a model file holds at {error.Path ?? "$"} (byte {(error.BytePositionInLine ?? 0) + 1} of the header).", error);
        }

        return header.Build<T>(bytes.AsSpan((int)payloadStart, (int)payloadLength), source);
    }

    internal static string ScalarName<T>() => typeof(T) == typeof(float) ? "float32" : "float64";

    /// <summary>At most 60 characters of a name from a file, for a message (a name can be megabytes long).</summary>
    /// <summary>True when <paramref name="text"/> is one JSON object (a model's configuration).</summary>
    internal static bool IsJsonObject(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    internal static string Excerpt(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>The <c>[columns, rows]</c> transpose of a row-major <c>[rows, columns]</c> matrix: W and PyTorch's or ONNX's Wᵀ.</summary>
    internal static T[] Transposed<T>(ReadOnlySpan<T> matrix, int rows, int columns)
        where T : unmanaged
    {
        var transposed = new T[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return transposed;
    }

    internal static void Require(bool condition, string source, string problem)
    {
        if (!condition)
        {
            throw new DataFormatException($"{source} {problem}.");
        }
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
