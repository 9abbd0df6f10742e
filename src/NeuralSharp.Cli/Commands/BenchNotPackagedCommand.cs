using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp bench</c> in the tool package, which leaves the benchmark out: it says where the bench runs instead
/// of "unknown command".
/// </summary>
public sealed class BenchNotPackagedCommand(IAnsiConsole console) : Command
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        console.MarkupLine(Markup.Escape(
            "The benchmark is not part of the neuralsharp tool package. Run it from a clone of the repository: " +
            "dotnet run -c Release --project src/NeuralSharp.Cli -- bench (and ../shared/bench/compare.sh for the peers)."));
        return 2;
    }
}
