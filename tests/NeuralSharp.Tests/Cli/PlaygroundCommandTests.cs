using System.Diagnostics;

namespace NeuralSharp.Tests.Cli;

public sealed class PlaygroundCommandTests
{
    [Fact]
    public async Task Playground_serves_the_page_on_loopback_and_prints_the_address()
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "NeuralSharp.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "playground", "--port", "0"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? "";
            Assert.Contains("NeuralSharp Playground at http://127.0.0.1:", line, StringComparison.Ordinal);
            string address = line.Split(' ')[3];
            using var http = new HttpClient();
            string page = await http.GetStringAsync(address, timeout.Token);
            Assert.Contains("<title>NeuralSharp Playground</title>", page, StringComparison.Ordinal);
            string script = await http.GetStringAsync(address + "/app.js", timeout.Token);
            Assert.Contains("EventSource", script, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void Bad_port_is_a_usage_error()
    {
        (int code, string output) = CliRunner.Run("playground", "--port", "70000");
        Assert.Equal(2, code);
        Assert.Contains("--port", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_memory_budget_too_small_for_one_session_is_a_usage_error()
    {
        (int code, string output) = CliRunner.Run("playground", "--max-memory", "10");
        Assert.Equal(2, code);
        Assert.Contains("--max-memory must be 64", output, StringComparison.Ordinal);
    }
}
