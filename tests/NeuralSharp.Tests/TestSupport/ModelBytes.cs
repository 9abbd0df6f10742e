namespace NeuralSharp.Tests.TestSupport;

/// <summary>Edits a model file's JSON header the way a user or an attacker would, keeping the file's own checks satisfied.</summary>
internal static class ModelBytes
{
    /// <summary>The header's JSON text.</summary>
    public static string Header(byte[] file)
    {
        int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        return System.Text.Encoding.UTF8.GetString(file, 16, length);
    }

    /// <summary>The file with another header, its length and checksum made right again.</summary>
    public static byte[] Resign(byte[] file, string header)
    {
        int oldLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header);
        byte[] rest = file[(16 + oldLength)..^32];
        byte[] body = [.. file[..12], 0, 0, 0, 0, .. json, .. rest];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)json.Length);
        return [.. body, .. System.Security.Cryptography.SHA256.HashData(body)];
    }
}
