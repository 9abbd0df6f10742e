using System.Runtime;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// The runtime's multi-core JIT for the command: each run records the methods it compiled, and the next run of the
/// same command compiles them on a second core while the first one starts. The command is built without tiered
/// compilation (every method optimised on its first call, for the benchmark's sake), so starting Orleans compiles
/// thousands of methods one after the other; with the profile they are mostly ready when the start-up reaches them.
/// </summary>
/// <remarks>
/// The profiles live in the user's cache (<c>$XDG_CACHE_HOME/neuralsharp/jit</c>, else <c>~/.cache/neuralsharp/jit</c>;
/// <c>NEURALSHARP_JIT_PROFILES</c> names another folder, or <c>off</c>). The runtime ignores a profile written by another
/// build of an assembly and one it cannot read, and a folder it cannot write only costs the speed-up.
/// </remarks>
internal static class StartupProfile
{
    /// <summary>The environment variable that moves the profiles' folder, or turns them off.</summary>
    public const string Variable = "NEURALSHARP_JIT_PROFILES";

    /// <summary>Starts the profile of the command in <paramref name="args"/> (a run that names none records nothing).</summary>
    public static void Begin(string[] args)
    {
        if (Name(args) is not { } name || Folder() is not { } folder)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(name);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // a read-only home: the command runs as it would without the profile
        }
    }

    /// <summary>
    /// Ends the recording (and the compiling of the last run's methods) once the command is past its start-up: what
    /// follows is the command's own work, which a second core should not share with the JIT replaying the last run.
    /// </summary>
    public static void End() => ProfileOptimization.StartProfile(null);

    /// <summary>
    /// The profile's file name: the command, and for <c>tune</c> whether it joins a cluster (the two start different
    /// parts of Orleans); null for help and version requests, and for <c>bench</c> (a JIT replaying on the second core
    /// would be measured with the first workloads).
    /// </summary>
    internal static string? Name(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args[0] == "bench" || args.Any(a => a is "-h" or "--help"))
        {
            return null;
        }

        string command = new([.. args[0].Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]);
        return command.Length == 0 ? null : $"{command}{(args.Contains("--cluster") ? "-cluster" : "")}.jitprofile";
    }

    private static string? Folder()
    {
        string? chosen = Environment.GetEnvironmentVariable(Variable);
        if (chosen is "off" or "0")
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(chosen))
        {
            return chosen;
        }

        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? root = !string.IsNullOrWhiteSpace(cache) ? cache : home.Length > 0 ? Path.Combine(home, ".cache") : null;
        return root is null ? null : Path.Combine(root, "neuralsharp", "jit");
    }
}
