using System.ComponentModel;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary><c>neuralsharp summary --model FILE</c>: the network table of a saved model.</summary>
public sealed class SummaryCommand(IAnsiConsole console) : Command<SummaryCommand.Settings>
{
    /// <summary>Options of <c>summary</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model saved by 'train --save'.")]
        public string Model { get; init; } = "";

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object: {\"layers\": [[{\"name\", \"type\", \"output_shape\", \"parameters\"}]], \"parameters\", \"inputs\", \"task\", \"features\", \"classes\"}.")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Model.Length == 0 ? ValidationResult.Error("--model is required.") : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Model<float> model = ModelFile.Load<float>(settings.Model);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["layers"] = model.Network.Rows().Select(r => new Dictionary<string, object> { ["name"] = r.Name, ["type"] = r.Kind, ["output_shape"] = r.OutputShape, ["parameters"] = r.Parameters }).ToArray(),
                ["parameters"] = model.Network.ParameterCount,
                ["inputs"] = model.Network.InputWidth,
                ["task"] = model.Task.Name(),
                ["features"] = model.FeatureNames,
                ["classes"] = model.ClassNames,
            }));
            return CliApp.Success;
        }

        console.Write(Tables.Network(model.Network));
        console.MarkupLine($"Task: {model.Task.Name()}; features: {Markup.Escape(string.Join(", ", model.FeatureNames.Take(12)))}{(model.FeatureNames.Count > 12 ? ", …" : "")}");
        if (model.ClassNames is { } classes)
        {
            console.MarkupLine($"Classes: {Markup.Escape(string.Join(", ", classes))}");
        }

        return CliApp.Success;
    }
}
