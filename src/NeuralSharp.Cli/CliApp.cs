using System.Text.RegularExpressions;
using NeuralSharp.Cli.Commands;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli;

/// <summary>
/// The <c>neuralsharp</c> command line: verbs, their options, and what each kind of failure prints and returns —
/// 2 for bad usage (the message names the option), 1 for a bad file, NaN data or a diverging run (one clear line, on
/// standard error; with <c>--json</c>, a JSON object <c>{"error": …, "exit": n}</c> on standard output instead),
/// never a stack trace.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;

    /// <summary>Exit code for a failure of the data, the files or the run.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for bad usage: an unknown option or a bad value.</summary>
    public const int Usage = 2;

    /// <summary>Exit code for a command stopped by Ctrl+C or SIGTERM (the shell's 128 + SIGINT).</summary>
    public const int Stopped = 130;

    /// <summary>A terminal reads the error object too: quotes and accents as they are, not as \u escapes.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions ErrorJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Spectre's parse errors name a bad value but not its option ("Failed to convert 'many' to Int32"), and an
    /// unknown option without its dashes: put the option, as the user typed it, into the message.
    /// </summary>
    private static string NameTheOption(string message, string[] args)
    {
        Match unknown = Regex.Match(message, "^Unknown option '([^']+)'");
        if (unknown.Success)
        {
            string typed = args.FirstOrDefault(a => a.TrimStart('-') == unknown.Groups[1].Value) ?? "--" + unknown.Groups[1].Value;
            return $"Unknown option '{typed}'.";
        }

        Match conversion = Regex.Match(message, "^Failed to convert '([^']*)' to (\\w+)");
        int at = conversion.Success ? Array.IndexOf(args, conversion.Groups[1].Value) : -1;
        return at > 0 && args[at - 1].StartsWith('-')
            ? $"{args[at - 1]}: '{conversion.Groups[1].Value}' is not a valid value (expected a {conversion.Groups[2].Value switch { "Int32" or "UInt64" => "whole number", "Double" => "number", var t => t }})."
            : message;
    }

    /// <summary>
    /// Runs the command line with <paramref name="args"/>, writing results to <paramref name="console"/> and errors to
    /// <paramref name="errors"/> (the same console when not given).
    /// </summary>
    public static int Run(string[] args, IAnsiConsole console, IAnsiConsole? errors = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        errors ??= console;
        bool json = args.Contains("--json");
        int Fail(int code, string message, string? hint = null)
        {
            if (json)
            {
                console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["error"] = message, ["exit"] = code }, ErrorJson));
                return code;
            }

            errors.MarkupLine($"[red]Error:[/] {Markup.Escape(message)}");
            if (hint is not null)
            {
                errors.MarkupLine(hint);
            }

            return code;
        }

        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IAnsiConsole), console);
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("neuralsharp");
            // neuralsharp --version: the library's version, as the package states it
            config.SetApplicationVersion(typeof(Sequential<float>).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.ConfigureConsole(console);
            config.SetHelpProvider(new AsWrittenHelpProvider(config.Settings));
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<TrainCommand>("train").WithDescription("Train a network on a built-in data set, a CSV or an IDX file.")
                .WithExample("train", "--data", "iris", "--layers", "16", "--epochs", "50", "--save", "iris.nsmodel")
                .WithExample("train", "--data", "houses.csv", "--target", "price", "--task", "regression", "--early-stopping", "10")
                .WithExample("train", "--data", "mnist", "--layers", "conv:30x5x5,pool:2,dense:100", "--optimizer", "adam", "--lr", "0.001");
            config.AddCommand<PredictCommand>("predict").WithDescription("Predict with a saved model on a CSV file.")
                .WithExample("predict", "--model", "iris.nsmodel", "--data", "flowers.csv")
                .WithExample("predict", "--model", "iris.nsmodel", "--data", "flowers.csv", "--json");
            config.AddCommand<ExportCommand>("export").WithDescription("Write a saved model as ONNX (for ONNX Runtime) or safetensors with its PyTorch module.")
                .WithExample("export", "--model", "iris.nsmodel", "--onnx", "iris.onnx", "--verify")
                .WithExample("export", "--model", "iris.nsmodel", "--safetensors", "iris.safetensors");
            config.AddCommand<ImportCommand>("import").WithDescription("Read an MLP from ONNX (PyTorch, Keras) or safetensors into a model file.")
                .WithExample("import", "model.onnx", "--save", "model.nsmodel")
                .WithExample("import", "iris.safetensors", "--save", "iris.nsmodel");
            config.AddCommand<SummaryCommand>("summary").WithDescription("Show the layers of a saved model.")
                .WithExample("summary", "--model", "iris.nsmodel")
                .WithExample("summary", "--model", "iris.nsmodel", "--json");
            config.AddCommand<TraceCommand>("trace").WithDescription("One forward and backward pass, every value printed (print_vec).")
                .WithExample("trace")
                .WithExample("trace", "--activation", "sigmoid", "--lang", "ja")
                .WithExample("trace", "--model", "iris.nsmodel");
            config.AddCommand<GradCheckCommand>("gradcheck").WithDescription("Backpropagation against numerical gradients.")
                .WithExample("gradcheck")
                .WithExample("gradcheck", "--model", "iris.nsmodel", "--json");
#if NEURALSHARP_BENCH
            config.AddCommand<BenchCommand>("bench").WithDescription("Run the benchmark workloads (W1–W8, X0) through the public entry points and print one line per figure.")
                .WithExample("bench", "--only", "W1,W3")
                .WithExample("bench", "--threads", "2", "--json");
#else
            config.AddCommand<BenchNotPackagedCommand>("bench").WithDescription("The benchmark runs from a clone of the repository, not from the tool package.");
#endif
            config.AddCommand<PlaygroundCommand>("playground").WithDescription("Serve the web playground on http://127.0.0.1:PORT.")
                .WithExample("playground", "--open")
                .WithExample("playground", "--port", "8080", "--max-sessions", "20");
            config.AddCommand<TuneCommand>("tune").WithDescription("Search hyperparameters on Orleans: an in-process silo, or every silo of a cluster.")
                .WithExample("tune", "--data", "iris", "--space", "\"lr=log(1e-4,1e-1); layers=16|32|16,16; optimizer=sgd|adam\"", "--trials", "20")
                .WithExample("tune", "--data", "houses.csv", "--target", "price", "--space", "\"lr=log(1e-4,1e-2); batch=16|64\"", "--metric", "val_loss")
                .WithExample("tune", "--data", "digits", "--space", "\"lr=0.001|0.01; layers=64|128\"", "--search", "grid", "--cluster", "redis://127.0.0.1:6379");
            config.AddCommand<WorkerCommand>("worker").WithDescription("Join a tune cluster kept in Redis and train the trials placed here.")
                .WithExample("worker", "--cluster", "redis://127.0.0.1:6379")
                .WithExample("worker", "--cluster", "redis://10.0.0.5:6379", "--advertise", "10.0.0.7", "--concurrency", "4");
            config.AddCommand<ExperimentCommand>("experiment").WithDescription("Run one of the course's exercises, or all of them.")
                .WithExample("experiment", "sgd-regression", "--x-range", "-5,5", "--lr", "0.01")
                .WithExample("experiment", "simple-convnet", "--lang", "ja")
                .WithExample("experiment", "all", "--out", "report");
        });

        try
        {
            return app.Run(ConfigFile.Expand(args));
        }
        catch (CommandAppException error)
        {
            return Fail(Usage, NameTheOption(error.Message, args), "Run [bold]neuralsharp --help[/] or [bold]neuralsharp COMMAND --help[/] for the options.");
        }
        catch (UsageException error)
        {
            return Fail(Usage, error.Message);
        }
        catch (OptionException error)
        {
            // a run's option that does not fit its data (the data is read before this is known): the option's name as typed
            return Fail(Usage, $"--{error.Option}: {error.Detail}");
        }
        catch (Exception error) when (error is DataFormatException or IOException or NonFiniteValueException or MemoryBudgetException
            or ShapeMismatchException or TrainingDivergedException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Fail(Failure, error.Message);
        }
        catch (StoppedException error)
        {
            return Fail(Stopped, error.Message);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return Fail(Failure, $"Internal error ({error.GetType().Name}): {error.Message} — please report it.");
        }
    }
}
