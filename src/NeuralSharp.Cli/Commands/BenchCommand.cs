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
        [Description("Threads for the large matrix products: 1, or 2 (this thread and one helper).")]
        [DefaultValue(1)]
        public int Threads { get; init; } = 1;

        /// <summary>Workloads to run.</summary>
        [CommandOption("--only <W1,W3>")]
        [Description("A comma-separated subset of W1, W2, W3, W4, W5, W6, W7, W8, W9, X0 (W7 only when named: W2 and W6 again, meant to run while another process keeps a core busy).")]
        public string? Only { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object, {\"results\": [[{\"workload\": \"W1\", \"impl\": \"neuralsharp\", \"threads\": 1, \"case\": \"online\", \"steps_per_s\": …}]]}: one record per line of the peer protocol, numbers as numbers; the INFO lines (machine, helper thread) under \"info\".")]
        public bool Json { get; init; }

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
        if (!settings.Json)
        {
            return Workloads.Run(args, console.Profile.Out.Writer);
        }

        var lines = new StringWriter();
        int code = Workloads.Run(args, lines);
        var records = lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Record).ToList();
        // INFO lines describe the machine and the run; the rest are the figures
        console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["info"] = records.Where(r => (string)r["workload"] == "INFO").Select(r => r.Where(p => p.Key != "workload").ToDictionary()).ToList(),
            ["results"] = records.Where(r => (string)r["workload"] != "INFO").ToList(),
        }));
        return code;
    }

    /// <summary>One line of the peer protocol, <c>W1 neuralsharp threads=1 case=online steps_per_s=…</c>, as a record.</summary>
    internal static Dictionary<string, object> Record(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var record = new Dictionary<string, object> { ["workload"] = words[0], ["impl"] = words.Length > 1 ? words[1] : "" };
        foreach (string word in words.Skip(2))
        {
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                string value = word[(equals + 1)..];
                record[word[..equals]] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? number : value;
            }
        }

        return record;
    }
}
