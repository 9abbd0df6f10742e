using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuralSharp.Tuning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary><c>neuralsharp worker --cluster redis://HOST:PORT</c>: a silo that joins a sweep cluster and trains trials until stopped.</summary>
public sealed class WorkerCommand(IAnsiConsole console) : Command<WorkerCommand.Settings>
{
    /// <summary>Options of <c>worker</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The cluster.</summary>
        [CommandOption("--cluster <redis://HOST:PORT>")]
        [Description("The Redis that keeps the cluster's membership and the trials' checkpoints.")]
        public string Cluster { get; init; } = "";

        /// <summary>Trials at once.</summary>
        [CommandOption("--concurrency <N>")]
        [Description("Trials this worker trains at once (default: one per core).")]
        public int? Concurrency { get; init; }

        /// <summary>The address other silos reach this one at.</summary>
        [CommandOption("--advertise <IP>")]
        [Description("The address the other silos reach this worker at.")]
        [DefaultValue("127.0.0.1")]
        public string Advertise { get; init; } = "127.0.0.1";

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Cluster.Length == 0 ? ValidationResult.Error("--cluster is required: the Redis of the sweep, e.g. --cluster redis://127.0.0.1:6379.")
            : Concurrency is < 1 or > TuningHost.MaxSlots ? ValidationResult.Error($"--concurrency must be 1 … {TuningHost.MaxSlots}, not {Concurrency}.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int slots = settings.Concurrency ?? Environment.ProcessorCount;
        using IHost host = TuningHost.StartAsync(settings.Cluster, slots, settings.Advertise, cancellationToken).GetAwaiter().GetResult();
        console.MarkupLine(Markup.Escape($"Worker joined {settings.Cluster} with {slots} slot{(slots == 1 ? "" : "s")}; it trains the trials placed on it until stopped (Ctrl+C)."));
        // Ctrl+C or SIGTERM (kill, systemd, docker stop): leave the cluster in order; the trials placed here resume
        // elsewhere from their checkpoints
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        stopping.Token.WaitHandle.WaitOne();
        console.MarkupLine(TuningHost.Stop(host) ? "Worker left the cluster." : $"Worker stopped without leaving the cluster in order (is {Markup.Escape(settings.Cluster)} still up?); the others see it gone within seconds.");
        return CliApp.Success;
    }
}
