using System.Diagnostics;

namespace NeuralSharp.Tests;

/// <summary>Every sample is built and run, so none silently breaks (STYLE.md §15).</summary>
public sealed class SamplesTests
{
    [Theory]
    [InlineData("01-backprop-step.cs", "[[0.1002612, 0.3002612, 0.5002612], [0.20130599, 0.40130599, 0.60130599]]")]
    [InlineData("02-iris.cs", "test accuracy")]
    [InlineData("03-onnx-runtime.cs", "largest difference from NeuralSharp")]
    public async Task Sample_runs_and_prints_what_it_promises(string sample, string expected)
    {
        string root = LineBudgetTests.RepositoryRoot();
        var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("samples", sample)])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{sample} exited {process.ExitCode}: {output} {await error}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }
}
