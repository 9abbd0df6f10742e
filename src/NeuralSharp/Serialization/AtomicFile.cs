namespace NeuralSharp.Serialization;

/// <summary>
/// Writes a file so that readers see the old contents or the new ones, never half: the bytes go to a temporary file
/// in the same folder, are flushed to disk, and the temporary file is then renamed over the target.
/// </summary>
/// <remarks>
/// The temporary file is named for what it is — <c>.model.nsmodel.4242-1a2b3c4d.partial-save</c>: the target, the
/// writing process and <see cref="PartialSuffix"/>. A process killed mid-save leaves one behind; the next save of the
/// same target removes those whose process is gone.
/// </remarks>
public static class AtomicFile
{
    /// <summary>How a save still in progress (or killed in progress) names its temporary file.</summary>
    public const string PartialSuffix = ".partial-save";

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(folder);
        RemoveStale(folder, Path.GetFileName(fullPath));
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}{PartialSuffix}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Deletes the temporary files earlier saves of <paramref name="name"/> left when their process was killed.</summary>
    private static void RemoveStale(string folder, string name)
    {
        foreach (string partial in Directory.EnumerateFiles(folder, $".{name}.*{PartialSuffix}"))
        {
            string stem = Path.GetFileName(partial)[(name.Length + 2)..^PartialSuffix.Length];
            int dash = stem.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(stem[..dash], System.Globalization.CultureInfo.InvariantCulture, out int process) && !Running(process))
            {
                try
                {
                    File.Delete(partial);
                }
                catch (IOException)
                {
                    // another process is cleaning up too: nothing lost
                }
            }
        }
    }

    private static bool Running(int process)
    {
        try
        {
            using var found = System.Diagnostics.Process.GetProcessById(process);
            return !found.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes text (UTF-8) atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
