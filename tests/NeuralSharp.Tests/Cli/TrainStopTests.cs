using System.Diagnostics;
using System.Globalization;

namespace NeuralSharp.Tests.Cli;

/// <summary>No work lost after training: the destination is checked before it, and Ctrl+C or SIGTERM ends it cleanly with what was learnt saved.</summary>
public sealed class TrainStopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-stop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_save_path_that_cannot_be_written_is_refused_before_training()
    {
        var clock = Stopwatch.StartNew();
        (int code, string output) = CliRunner.Run("train", "--data", "digits", "--epochs", "2000", "--save", _folder);
        Assert.Equal(2, code);
        Assert.Contains("--save", output, StringComparison.Ordinal);
        Assert.Contains("is a folder", output, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", output, StringComparison.Ordinal);
        string file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "");
        (code, output) = CliRunner.Run("train", "--data", "iris", "--plot", Path.Combine(file, "loss.png"));
        Assert.Equal(2, code);
        Assert.Contains("--plot", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the refusal came after training");
    }

    [Fact]
    public void Plot_none_writes_no_picture_and_a_picture_is_png_or_svg()
    {
        // the working folder is shared by every test running: the file named 'none' is looked for there, not made there first
        string none = Path.Combine(Directory.GetCurrentDirectory(), "none");
        bool existed = File.Exists(none);
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "2", "--plot", "none");
        Assert.Equal(0, code);
        Assert.True(existed || !File.Exists(none), "--plot none wrote a file named none");
        Assert.DoesNotContain("Loss curve written", output, StringComparison.Ordinal);

        (int refused, string text) = CliRunner.Run("train", "--data", "iris", "--plot", Path.Combine(_folder, "loss.jpg"));
        Assert.Equal(2, refused);
        Assert.Contains("--plot: the loss curve is written as .png or .svg, not '.jpg'", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "loss.jpg")));
    }

    [Theory]
    [InlineData("-INT")]
    [InlineData("-TERM")]
    public async Task A_signal_ends_training_after_the_epoch_under_way_and_saves_what_was_learnt(string signal)
    {
        string model = Path.Combine(_folder, "stopped.nsmodel");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "NeuralSharp.Cli.dll"), "train", "--data", "digits", "--epochs", "100000",
            "--save", model, "--plot", Path.Combine(_folder, "loss.png")])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        // the signal goes once training has begun: the first epoch line (one every 2,000 epochs) is out
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("epoch ", StringComparison.Ordinal))
            {
                break;
            }
        }

        using (Process kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        Task<string> rest = process.StandardOutput.ReadToEndAsync();
        await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        bool exited = process.HasExited;
        if (!exited)
        {
            process.Kill();
        }

        string text = string.Join('\n', lines) + await rest + await errors;
        Assert.True(exited, $"still running 60 s after {signal}:\n{text}");
        Assert.True(process.ExitCode == 130, text);
        Assert.Contains("Stopped (Ctrl+C or a termination signal) after epoch", text, StringComparison.Ordinal);
        Assert.Contains("saved to", text, StringComparison.Ordinal);
        Assert.True(File.Exists(model), text);
        Assert.True(File.Exists(Path.Combine(_folder, "stopped.config.json")), text);
    }
}
