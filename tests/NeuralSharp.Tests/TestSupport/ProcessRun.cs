using System.Diagnostics;

namespace NeuralSharp.Tests.TestSupport;

/// <summary>Runs a process to its end, as a user's shell would: its exit code and everything it printed.</summary>
internal static class ProcessRun
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="folder"/> (else here) with extra environment variables; fails after <paramref name="minutes"/>.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string? folder = null, Dictionary<string, string>? environment = null, int minutes = 6)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder ?? Environment.CurrentDirectory };
        foreach ((string key, string value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output + await errors);
    }
}
