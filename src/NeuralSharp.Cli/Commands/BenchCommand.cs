using System.ComponentModel;
using NeuralSharp.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp bench</c>: the workloads of shared/bench/WORKLOADS.md, printed as the peers' lines
/// (<c>W1 neuralsharp threads=1 case=online steps_per_s=…</c>). For ratios against NumPy, PyTorch and TorchSharp in
/// one run use <c>../shared/bench/compare.sh</c>.
/// </summary>
public sealed class BenchCommand(IAnsiConsole console) : Command<BenchCommand.Settings>
{
    /// <summary>Options of <c>bench</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Threads for large matrix products.</summary>
        [CommandOption("--threads <N>")]
        [DefaultValue(1)]
        public int Threads { get; init; } = 1;

        /// <summary>Workloads to run.</summary>
        [CommandOption("--only <W1,W3>")]
        [Description("A comma-separated subset of W1, W2, W3, W4, W5, W6, W7, X0 (W7 only when named: W2 and W6 again, meant to run while another process keeps a core busy).")]
        public string? Only { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            string? unknown = Only is null ? null : Workloads.Unknown(Only);
            return Threads is < 1 or > 64 ? ValidationResult.Error($"--threads must be 1 … 64, not {Threads}.")
                : unknown is not null ? ValidationResult.Error(unknown)
                : ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string[] args = settings.Only is null ? ["--threads", $"{settings.Threads}"] : ["--threads", $"{settings.Threads}", "--only", settings.Only];
        return Workloads.Run(args, console.Profile.Out.Writer);
    }
}
