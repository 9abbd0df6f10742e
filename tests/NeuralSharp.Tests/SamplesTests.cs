using System.Diagnostics;

namespace NeuralSharp.Tests;

/// <summary>Every sample is built and run, so none silently breaks (STYLE.md §15).</summary>
public sealed class SamplesTests
{
    [Theory]
    [InlineData("01-backprop-step.cs", "[[0.1002612, 0.3002612, 0.5002612], [0.20130599, 0.40130599, 0.60130599]]")]
    [InlineData("02-iris.cs", "test accuracy")]
    [InlineData("03-onnx-runtime.cs", "largest difference from NeuralSharp")]
    public async Task Sample_runs_and_prints_what_it_promises(string sample, string expected) =>
        Assert.Contains(expected, await RunAsync(sample), StringComparison.Ordinal);

    [Fact]
    public async Task The_ONNX_Runtime_sample_checks_a_model_against_its_export()
    {
        string folder = Directory.CreateTempSubdirectory("ns-sample-").FullName;
        try
        {
            (NeuralSharp.Serialization.Model<float> model, _) = Serialization.ModelFileTests.IrisModel();
            NeuralSharp.Serialization.ModelFile.Save(Path.Combine(folder, "iris.nsmodel"), model);
            NeuralSharp.Serialization.Onnx.OnnxFile.Save(Path.Combine(folder, "iris.onnx"), model);
            string output = await RunAsync("03-onnx-runtime.cs", "--", Path.Combine(folder, "iris.nsmodel"), Path.Combine(folder, "iris.onnx"));
            Assert.Contains("ONNX Runtime served 150 rows from iris.onnx", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs a sample with <c>dotnet run</c>; it must exit 0 (the ONNX Runtime sample exits 1 past 1e-5).</summary>
    private static async Task<string> RunAsync(string sample, params string[] args)
    {
        string root = LineBudgetTests.RepositoryRoot();
        var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("samples", sample), .. args])
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
        return output;
    }
}
