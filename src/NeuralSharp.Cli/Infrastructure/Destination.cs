namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// An output path checked before the work that fills it: a run that trains for an hour must not learn at the end that
/// its --save names a folder or a place it cannot write.
/// </summary>
internal static class Destination
{
    /// <summary>Refuses <paramref name="path"/> unless a file can be written there, naming the option.</summary>
    /// <exception cref="UsageException">The path is a folder, its folder does not exist, or it cannot be written.</exception>
    public static void Check(string? path, string option)
    {
        if (path is null)
        {
            return;
        }

        if (path.Length == 0 || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new UsageException($"{option}: '{path}' is not a file path.");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"{option}: '{path}' is a folder; give a file in it, e.g. {Path.Combine(path, "model.nsmodel")}.");
        }

        // a folder that does not exist yet is made when the file is written: its nearest existing parent must take it
        string folder = Path.GetDirectoryName(full) ?? ".";
        while (!Directory.Exists(folder))
        {
            if (File.Exists(folder))
            {
                throw new UsageException($"{option}: '{folder}' is a file, so '{path}' cannot be made.");
            }

            folder = Path.GetDirectoryName(folder) ?? throw new UsageException($"{option}: '{path}' lies on no existing drive.");
        }

        try
        {
            // a file that vanishes when closed: the folder takes new files
            using var probe = new FileStream(Path.Combine(folder, $".neuralsharp-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"{option}: cannot write in the folder '{folder}' ({error.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)}).");
        }

        if (File.Exists(full) && new FileInfo(full).IsReadOnly)
        {
            throw new UsageException($"{option}: '{path}' is read-only.");
        }
    }
}
