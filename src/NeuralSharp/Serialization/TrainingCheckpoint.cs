using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using NeuralSharp.Data;

namespace NeuralSharp.Serialization;

/// <summary>
/// A run stopped between two epochs, whole: the model (network, scaling, the configuration that trained it), the epochs
/// done and the optimizer's memory (velocities, moments, its step count). Training resumed from it takes exactly the
/// steps the run would have taken (<see cref="Training.TrainingRun{T}.Resume"/>). One file, checksummed, written atomically:
/// <c>NSCKPT01</c>, a JSON header (epoch, optimizer, steps, the state's lengths), the model file's bytes, the state.
/// </summary>
/// <param name="Model">The model as it stood.</param>
/// <param name="Epoch">The epochs done.</param>
/// <param name="Optimizer">The optimizer's name (a resumed run must use the same).</param>
/// <param name="OptimizerSteps">The optimizer's step count (Adam's t).</param>
/// <param name="OptimizerState">The optimizer's state arrays, parameter by parameter and slot by slot.</param>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed record TrainingCheckpoint<T>(Model<T> Model, int Epoch, string Optimizer, int OptimizerSteps, T[][] OptimizerState)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly byte[] Magic = "NSCKPT01"u8.ToArray();

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        ModelFile.RequireFinite(Model);
        byte[] model = ModelFile.Serialize(Model);
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["epoch"] = Epoch, ["optimizer"] = Optimizer, ["optimizer_steps"] = OptimizerSteps, ["state"] = OptimizerState.Select(s => s.Length).ToArray(),
        });
        using var stream = new MemoryStream();
        stream.Write(Magic);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)header.Length);
        stream.Write(number[..4]);
        stream.Write(header);
        BinaryPrimitives.WriteUInt64LittleEndian(number, (ulong)model.Length);
        stream.Write(number);
        stream.Write(model);
        foreach (T[] slot in OptimizerState)
        {
            stream.Write(MemoryMarshal.AsBytes(slot.AsSpan()));
        }

        stream.Write(SHA256.HashData(stream.ToArray()));
        AtomicFile.Write(path, stream.ToArray());
    }

    /// <summary>Reads a checkpoint.</summary>
    /// <exception cref="DataFormatException">The file is not a checkpoint, is corrupt or truncated; the message says where.</exception>
    public static TrainingCheckpoint<T> Load(string path)
    {
        byte[] bytes = ModelFile.Read(path, "checkpoint");
        string source = System.IO.Path.GetFileName(path);
        ModelFile.Require(bytes.Length >= Magic.Length + 4 + 8 + 32 && bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic), source,
            "is not a NeuralSharp checkpoint (it does not start with NSCKPT01; train --checkpoint-every writes one)");
        ModelFile.Require(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)), source,
            "is corrupt: its checksum does not match its contents");
        long headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        ModelFile.Require(12 + headerLength + 8 <= bytes.Length - 32, source, "is truncated: its header runs past its end");
        (int epoch, string optimizer, int steps, long[] lengths) = Header(bytes.AsSpan(12, (int)headerLength), source);
        long modelAt = 12 + headerLength + 8;
        ulong modelLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)(12 + headerLength)));
        long size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), stateBytes = lengths.Sum() * size;
        ModelFile.Require(modelLength <= (ulong)bytes.Length && modelAt + (long)modelLength + stateBytes == bytes.Length - 32, source,
            $"does not hold what its header declares: a model of {modelLength:N0} bytes and {lengths.Sum():N0} optimizer values");
        Model<T> model = ModelFile.Deserialize<T>(bytes.AsSpan((int)modelAt, (int)modelLength).ToArray(), source);
        var state = new T[lengths.Length][];
        long at = modelAt + (long)modelLength;
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = MemoryMarshal.Cast<byte, T>(bytes.AsSpan((int)at, (int)(lengths[i] * size))).ToArray();
            Guard.AllFinite(state[i].AsSpan(), state[i].Length, $"Optimizer state {i} of {source}");
            at += lengths[i] * size;
        }

        return new TrainingCheckpoint<T>(model, epoch, optimizer, steps, state);
    }

    private static (int Epoch, string Optimizer, int Steps, long[] Lengths) Header(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json.ToArray());
            JsonElement root = document.RootElement;
            int Whole(string field) => root.TryGetProperty(field, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n >= 0
                ? n : throw new DataFormatException($"{source} has a header whose '{field}' is not a whole number ≥ 0.");
            string optimizer = root.TryGetProperty("optimizer", out JsonElement o) && o.ValueKind == JsonValueKind.String ? o.GetString()!
                : throw new DataFormatException($"{source} has a header without its optimizer's name.");
            long[] lengths = root.TryGetProperty("state", out JsonElement s) && s.ValueKind == JsonValueKind.Array && s.GetArrayLength() <= 100_000
                && s.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) && n is >= 0 and <= int.MaxValue)
                ? [.. s.EnumerateArray().Select(v => v.GetInt64())]
                : throw new DataFormatException($"{source} has a header whose 'state' is not a list of lengths.");
            return (Whole("epoch"), optimizer, Whole("optimizer_steps"), lengths);
        }
        catch (JsonException)
        {
            throw new DataFormatException($"{source} has a header that is not valid JSON.");
        }
    }
}
