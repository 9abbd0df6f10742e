using System.Reflection;
using System.Text.Json;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// <c>train --config FILE.json</c>: a JSON object whose keys are <c>train</c>'s options without their dashes
/// (<c>{"data": "iris", "layers": "64,32", "epochs": 50, "batch-norm": true}</c>). Its options go in before those typed
/// on the command line, so a typed option wins. <c>train --save M.nsmodel</c> writes <c>M.config.json</c> beside the
/// model, with every option of the run, so that <c>train --config M.config.json</c> repeats it.
/// </summary>
internal static class ConfigFile
{
    private const long MaxBytes = 1 << 20;

    /// <summary>The arguments with <c>--config FILE</c> replaced by the file's options (placed right after the command).</summary>
    public static string[] Expand(string[] args)
    {
        int at = Array.IndexOf(args, "--config");
        if (at < 0)
        {
            return args;
        }

        if (at + 1 >= args.Length || args[0] != "train")
        {
            throw new UsageException(args[0] != "train" ? "--config is an option of train." : "--config needs a file: --config run.json.");
        }

        string path = args[at + 1];
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new UsageException($"--config: there is no file '{path}'.");
        }

        if (file.Length > MaxBytes)
        {
            throw new UsageException($"--config: '{path}' is {file.Length:N0} bytes; a configuration is at most {MaxBytes:N0}.");
        }

        Dictionary<string, PropertyInfo> known = Options<Commands.TrainSettings>().ToDictionary(o => o.Name, o => o.Property);
        var inserted = new List<string>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"--config: '{path}' is not a JSON object of options.");
            }

            foreach (JsonProperty option in document.RootElement.EnumerateObject())
            {
                if (!known.TryGetValue(option.Name, out PropertyInfo? property) || option.Name is "config" or "json")
                {
                    throw new UsageException($"--config: '{path}' sets '{option.Name}', which is not an option of train.{Infrastructure.Options.Suggest(option.Name, known.Keys)}");
                }

                // the value's type against the option's, named here rather than by the parser's conversion message
                Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                string? expected = option.Value.ValueKind is JsonValueKind.Null ? null
                    : type == typeof(bool) ? (option.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "true or false")
                    : type == typeof(int) ? (option.Value.ValueKind == JsonValueKind.Number && option.Value.TryGetInt32(out _) ? null : "a whole number")
                    : type == typeof(ulong) ? (option.Value.ValueKind == JsonValueKind.Number && option.Value.TryGetUInt64(out _) ? null : "a whole number ≥ 0")
                    : type == typeof(double) ? (option.Value.ValueKind == JsonValueKind.Number ? null : "a number")
                    : option.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? null : "a string";
                if (expected is not null)
                {
                    throw new UsageException($"--config: '{option.Name}' in '{path}' must be {expected}, not {option.Value.GetRawText()}.");
                }

                switch (option.Value.ValueKind)
                {
                    case JsonValueKind.True:
                        inserted.Add("--" + option.Name);
                        break;
                    case JsonValueKind.False or JsonValueKind.Null:
                        break;
                    case JsonValueKind.String or JsonValueKind.Number:
                        inserted.AddRange(["--" + option.Name, option.Value.ValueKind == JsonValueKind.String ? option.Value.GetString()! : option.Value.GetRawText()]);
                        break;
                    default:
                        throw new UsageException($"--config: '{option.Name}' in '{path}' must be a string, a number or true/false.");
                }
            }
        }
        catch (JsonException error)
        {
            throw new UsageException($"--config: '{path}' is not valid JSON (line {error.LineNumber + 1}).");
        }

        return [args[0], .. inserted, .. args[1..at], .. args[(at + 2)..]];
    }

    /// <summary>Writes a run's configuration beside its model, as <c>MODEL.config.json</c>.</summary>
    public static string Write(string modelPath, NeuralSharp.Training.RunConfig config)
    {
        string path = Path.ChangeExtension(modelPath, ".config.json");
        config.Save(path);
        return path;
    }

    private static IEnumerable<(string Name, PropertyInfo Property)> Options<TSettings>() =>
        typeof(TSettings).GetProperties()
            .Select(p => (Attribute: p.GetCustomAttribute<CommandOptionAttribute>(), Property: p))
            .Where(o => o.Attribute is not null)
            .Select(o => (o.Attribute!.LongNames[0], o.Property));
}
