using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using NeuralSharp.Playground;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary><c>neuralsharp playground</c>: serves the web playground and prints its address.</summary>
public sealed class PlaygroundCommand(IAnsiConsole console) : Command<PlaygroundCommand.Settings>
{
    /// <summary>Options of <c>playground</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Port.</summary>
        [CommandOption("--port <N>")]
        [Description("The port to listen on.")]
        [DefaultValue(5117)]
        public int Port { get; init; } = 5117;

        /// <summary>Host to bind.</summary>
        [CommandOption("--host <ADDRESS>")]
        [Description("Address to bind (default 127.0.0.1; binding elsewhere exposes the playground to the network).")]
        [DefaultValue("127.0.0.1")]
        public string Host { get; init; } = "127.0.0.1";

        /// <summary>Open a browser.</summary>
        [CommandOption("--open")]
        [Description("Open the page in the default browser.")]
        public bool Open { get; init; }

        /// <summary>Most sessions at once.</summary>
        [CommandOption("--max-sessions <N>")]
        [Description("How many sessions may be open at once (each is a learner's page).")]
        [DefaultValue(50)]
        public int MaxSessions { get; init; } = 50;

        /// <summary>Memory all sessions may hold, in MB.</summary>
        [CommandOption("--max-memory <MB>")]
        [Description("Memory all sessions together may hold, in MB (each is counted at the most it can need); a session past it is refused with 429.")]
        [DefaultValue(1024)]
        public int MaxMemory { get; init; } = 1024;

        /// <summary>Host names a public instance is reached by.</summary>
        [CommandOption("--server-name <NAMES>")]
        [Description("Comma-separated host names the playground answers for besides loopback and --host (e.g. playground.example.org), for an instance others reach.")]
        public string? ServerNames { get; init; }

        /// <summary>Threads for the sessions' matrix products.</summary>
        [CommandOption("--threads <N>")]
        [Description("Threads for matrix products and updates: 1, or 2 (more is taken as 2).")]
        public int? Threads { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Port is < 0 or > 65535 ? ValidationResult.Error($"--port must be 0 … 65535, not {Port}.")
            : Threads is < 1 or > 64 ? ValidationResult.Error($"--threads must be 1 … 64, not {Threads}.")
            : !PlaygroundServer.IsValidHost(Host) ? ValidationResult.Error($"--host must be an IP address or localhost, not '{Host}'.")
            : MaxSessions is < 1 or > 10_000 ? ValidationResult.Error($"--max-sessions must be 1 … 10000, not {MaxSessions}.")
            : MaxMemory is < 64 or > 1_048_576 ? ValidationResult.Error($"--max-memory must be 64 … 1048576 MB, not {MaxMemory}.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Threads is { } threads)
        {
            NeuralSharp.Parallelism.Threads = threads;
        }

        var (app, address) = PlaygroundServer.StartAsync(settings.Host, settings.Port, new Limits { MaxSessions = settings.MaxSessions, MaxTotalBytes = (long)settings.MaxMemory << 20 },
            settings.ServerNames?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).GetAwaiter().GetResult();
        console.MarkupLine($"NeuralSharp Playground at [link]{Markup.Escape(address)}[/] — press Ctrl+C to stop.");
        if (!PlaygroundServer.IsLoopback(settings.Host))
        {
            console.MarkupLine($"[bold yellow]Warning:[/] --host {Markup.Escape(settings.Host)} is not loopback: anyone who can reach this machine can use the playground (its sessions and CPU are bounded). It answers only for the names given with --server-name (and loopback).");
        }
        if (settings.Open)
        {
            try
            {
                Process.Start(new ProcessStartInfo(address) { UseShellExecute = true });
            }
            catch (System.ComponentModel.Win32Exception)
            {
                console.MarkupLine("[grey]No browser could be opened here; open the address yourself.[/]");
            }
        }

        app.WaitForShutdownAsync(cancellationToken).GetAwaiter().GetResult();
        return CliApp.Success;
    }
}
