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
            Assert.Contains("ONNX Runtime served 1000 rows from iris.onnx", output, StringComparison.Ordinal);

            // any model, not only iris's: a regression (its outputs in the target's units, compared relative to their size),
            // on a CSV with a column the model does not take
            var run = NeuralSharp.Training.TrainingRun<float>.Start(new NeuralSharp.Training.RunConfig { Data = "diabetes", Epochs = 3 });
            run.Fit();
            NeuralSharp.Serialization.Model<float> diabetes = run.ToModel();
            NeuralSharp.Serialization.ModelFile.Save(Path.Combine(folder, "diabetes.nsmodel"), diabetes);
            NeuralSharp.Serialization.Onnx.OnnxFile.Save(Path.Combine(folder, "diabetes.onnx"), diabetes);
            File.WriteAllLines(Path.Combine(folder, "rows.csv"),
                [string.Join(',', ["id", .. diabetes.FeatureNames.Reverse()]), string.Join(',', ["a", .. diabetes.FeatureNames.Select((_, i) => (0.01 * i).ToString(System.Globalization.CultureInfo.InvariantCulture))])]);
            string regression = await RunAsync("03-onnx-runtime.cs", "--", Path.Combine(folder, "diabetes.nsmodel"), Path.Combine(folder, "diabetes.onnx"), Path.Combine(folder, "rows.csv"));
            Assert.Contains("ONNX Runtime served 1 rows from diabetes.onnx", regression, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs a sample with <c>dotnet run</c>; it must exit 0 (the ONNX Runtime sample exits 1 past 1e-5 for probabilities, 1e-4 relative for numbers).</summary>
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
