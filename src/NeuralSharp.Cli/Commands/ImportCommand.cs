using System.ComponentModel;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp import M.onnx --save M.nsmodel</c>: an MLP or a plain convolutional network from PyTorch, Keras or
/// NeuralSharp itself (ONNX, or a safetensors file NeuralSharp wrote) as a model file that predict, summary, trace and
/// train take.
/// </summary>
public sealed class ImportCommand(IAnsiConsole console) : Command<ImportCommand.Settings>
{
    /// <summary>Options of <c>import</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The file to import.</summary>
        [CommandArgument(0, "<FILE>")]
        [Description("An ONNX file (an MLP: Gemm or MatMul [[+ Add]] layers, Relu, LeakyRelu, Sigmoid, Tanh, Softmax; a convolutional network also Conv, MaxPool, Flatten on [[batch, C, H, W]] images; opsets 7 … 23) or a .safetensors file of an MLP written by 'export'.")]
        public string File { get; init; } = "";

        /// <summary>Where to save the model.</summary>
        [CommandOption("--save <FILE.nsmodel>")]
        [Description("The model file to write.")]
        public string Save { get; init; } = "";

        /// <summary>Names for the model's inputs.</summary>
        [CommandOption("--features <NAMES>")]
        [Description("Name the model's inputs, comma-separated in input order (a file exported by PyTorch names none: they are then x1, x2, …).")]
        public string? Features { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object: {\"saved\", \"precision\", \"task\", \"features\", \"classes\", \"parameters\"}.")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Save.Length == 0 ? ValidationResult.Error("--save is required: the model file to write, e.g. --save model.nsmodel.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool safetensors = settings.File.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        Model<double> model = safetensors ? SafeTensorsFile.Load<double>(settings.File) : OnnxFile.Load<double>(settings.File);
        if (settings.Features is { } features)
        {
            string[] names = [.. features.Split(',').Select(name => name.Trim())];
            if (names.Length != model.FeatureNames.Count || names.Any(name => name.Length == 0) || names.Distinct().Count() != names.Length)
            {
                throw new Infrastructure.UsageException($"--features: the model takes {model.FeatureNames.Count} inputs; give as many different names, comma-separated (got {names.Length}).");
            }

            model = model.WithFeatureNames(names);
        }

        // float32 weights (nearly every file) are kept as float32: float64 only where a weight would lose digits
        bool single = model.Network.Parameters.All(p => p.Value.ToArray().All(w => (double)(float)w == w));
        if (single)
        {
            ModelFile.Save(settings.Save, ModelFile.Deserialize<float>(ModelFile.Serialize(model), settings.File));
        }
        else
        {
            ModelFile.Save(settings.Save, model);
        }

        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["saved"] = settings.Save,
                ["precision"] = single ? "float32" : "float64",
                ["task"] = model.Task.Name(),
                ["features"] = model.FeatureNames,
                ["classes"] = model.ClassNames,
                ["parameters"] = model.Network.ParameterCount,
            }));
            return CliApp.Success;
        }

        console.Write(Tables.Network(model.Network));
        console.MarkupLine($"Task: {model.Task.Name()}; features: {Markup.Escape(string.Join(", ", model.FeatureNames.Take(12)))}{(model.FeatureNames.Count > 12 ? ", …" : "")}" +
            (model.ClassNames is { } classes ? $"; classes: {Markup.Escape(string.Join(", ", classes.Take(12)))}" : ""));
        console.MarkupLine($"Model saved to [link]{Markup.Escape(settings.Save)}[/] ({(single ? "float32" : "float64")} weights). Try: neuralsharp trace --model {Markup.Escape(settings.Save)}");
        return CliApp.Success;
    }
}
