using System.ComponentModel;
using System.Text.Json;
using NeuralSharp.Data;
using NeuralSharp.Randomness;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp export --model M.nsmodel --onnx M.onnx --safetensors M.safetensors [--verify]</c>: the model for ONNX
/// Runtime and PyTorch (the safetensors file with its PyTorch twin, <c>M.py</c>, beside it).
/// </summary>
public sealed class ExportCommand(IAnsiConsole console) : Command<ExportCommand.Settings>
{
    /// <summary>Options of <c>export</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE.nsmodel>")]
        [Description("A model saved by 'train --save' or 'import --save'.")]
        public string Model { get; init; } = "";

        /// <summary>The ONNX file to write.</summary>
        [CommandOption("--onnx <FILE.onnx>")]
        [Description("Write an ONNX file (opset 17, dynamic batch; the standardizer inside; names as metadata) for ONNX Runtime, ML.NET or PyTorch.")]
        public string? Onnx { get; init; }

        /// <summary>The safetensors file to write.</summary>
        [CommandOption("--safetensors <FILE.safetensors>")]
        [Description("Write the weights as PyTorch's state_dict in safetensors, and beside it FILE.py, the nn.Sequential that loads them.")]
        public string? SafeTensors { get; init; }

        /// <summary>Read the written files back and compare.</summary>
        [CommandOption("--verify")]
        [Description("Read each written file back (NeuralSharp's own ONNX reader; samples/03-onnx-runtime.cs runs ONNX Runtime) and compare its predictions with the model's on 1,000 rows (of --data, or drawn around the standardizer's mean).")]
        public bool Verify { get; init; }

        /// <summary>Rows to verify on.</summary>
        [CommandOption("--data <FILE.csv>")]
        [Description("With --verify: a CSV with the model's feature columns to compare on (its first 1,000 rows).")]
        public string? Data { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object: the files written and, with --verify, the largest differences.")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Model.Length == 0 ? ValidationResult.Error("--model is required: the file written by 'train --save'.")
            : Onnx is null && SafeTensors is null ? ValidationResult.Error("Name at least one file to write: --onnx FILE.onnx or --safetensors FILE.safetensors.")
            : Data is not null && !Verify ? ValidationResult.Error("--data is for --verify.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Model<float> model = ModelFile.Load<float>(settings.Model);
        Dataset? rows = settings.Verify ? Rows(model, settings.Data) : null;
        // the PyTorch module first: a network it cannot describe writes no safetensors file (the ONNX file still, if asked for)
        string? module = null;
        NotSupportedException? noModule = null;
        try
        {
            module = settings.SafeTensors is { } target ? PyTorchScript.For(model, Path.GetFileName(target)) : null;
        }
        catch (NotSupportedException error) when (settings.Onnx is not null)
        {
            noModule = error;
        }

        var written = new Dictionary<string, object?>();
        var lines = new List<string>();
        if (settings.Onnx is { } onnx)
        {
            OnnxFile.Save(onnx, model);
            written["onnx"] = onnx;
            lines.Add($"ONNX file written to [link]{Markup.Escape(onnx)}[/] (opset {OnnxFile.Opset}, input 'input' [[batch, {model.FeatureNames.Count}]], output 'output').");
            if (rows is not null)
            {
                double difference = Largest(model.Predict(rows), OnnxFile.Load<float>(onnx).Predict(rows));
                written["onnx_max_difference"] = difference;
                lines.Add($"  read back: largest difference {difference:G3} on {rows.Count:N0} rows. In ONNX Runtime itself: dotnet run samples/03-onnx-runtime.cs -- {Markup.Escape(settings.Model)} {Markup.Escape(onnx)}");
            }
        }

        if (noModule is not null)
        {
            if (!settings.Json)
            {
                lines.ForEach(console.MarkupLine);
            }

            throw new NotSupportedException($"{noModule.Message} The ONNX file was written; no safetensors file.");
        }

        if (settings.SafeTensors is { } weights)
        {
            SafeTensorsFile.Save(weights, model);
            string script = Path.ChangeExtension(weights, ".py");
            AtomicFile.WriteText(script, module!);
            written["safetensors"] = weights;
            written["pytorch_script"] = script;
            lines.Add($"safetensors written to [link]{Markup.Escape(weights)}[/], and its PyTorch module to [link]{Markup.Escape(script)}[/] (import it and call load()).");
            if (rows is not null)
            {
                bool identical = ModelFile.Serialize(SafeTensorsFile.Load<float>(weights)).AsSpan().SequenceEqual(ModelFile.Serialize(model));
                written["safetensors_identical"] = identical;
                lines.Add($"  read back: {(identical ? "bit-identical to the model" : "[red]differs from the model[/]")}.");
                if (!identical)
                {
                    throw new IOException($"{weights} did not read back as the model it was written from.");
                }
            }
        }

        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(written));
            return CliApp.Success;
        }

        lines.ForEach(console.MarkupLine);
        return CliApp.Success;
    }

    /// <summary>The rows to verify on: the CSV's, or 1,000 drawn from N(μ, σ²) of the standardizer (N(0, 1) without one).</summary>
    private static Dataset Rows(Model<float> model, string? csv)
    {
        int features = model.FeatureNames.Count;
        if (csv is not null)
        {
            Dataset read = PredictCommand.ReadFeatures(csv, model).Features;
            return read.Count <= 1000 ? read
                : new Dataset("verify", read.Features[..(1000 * features)].ToArray(), model.FeatureNames, new double[1000]);
        }

        return model.DrawRows(1000);
    }

    private static double Largest(NDArray<double> expected, NDArray<double> actual) =>
        expected.ToArray().Zip(actual.ToArray(), (e, a) => Math.Abs(e - a)).Max();
}
