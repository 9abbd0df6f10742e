using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Cli;

/// <summary>What the command prints into a pipe or a file: whole lines (no breaks at 80 columns), no padding, no colour codes.</summary>
public sealed class PipedOutputTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) =>
        ProcessRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "NeuralSharp.Cli.dll"), .. args], environment: new() { ["NO_COLOR"] = "" });

    [Fact]
    public async Task Help_and_messages_keep_their_lines_whole_when_piped()
    {
        (int code, string help) = await Run("train", "--help");
        Assert.Equal(0, code);
        // each option's description on its own line beside it, not squeezed into a narrow column
        Assert.Contains(help.Split('\n'), line => line.Contains("--data <DATA>", StringComparison.Ordinal) && line.Contains("FILE.csv or IMAGES.idx[.gz]", StringComparison.Ordinal));
        Assert.DoesNotContain(help.Split('\n'), line => line.EndsWith(' '));
        Assert.DoesNotContain("\u001b[", help, StringComparison.Ordinal);

        (int failed, string error) = await Run("tune", "--data", "iris", "--space", "lr=0.01", "--cluster", "http://not-a-redis-address.example");
        Assert.Equal(2, failed);
        Assert.Contains(error.Split('\n'), line => line.Contains("'http://not-a-redis-address.example' is not redis://host:port (e.g. redis://127.0.0.1:6379).", StringComparison.Ordinal));

        // the examples paste into a shell: a space with ';' is quoted
        (_, string tune) = await Run("tune", "--help");
        Assert.Contains("--space \"lr=log(1e-4,1e-1); layers=16|32|16,16; optimizer=sgd|adam\"", tune, StringComparison.Ordinal);
    }
}
