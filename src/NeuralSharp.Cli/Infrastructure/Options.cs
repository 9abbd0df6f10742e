using System.Globalization;
using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>Parses option values, turning every bad one into a <see cref="UsageException"/> naming the option.</summary>
internal static class Options
{
    /// <summary>Hidden layer widths from <c>10,10</c>; empty or <c>none</c> for no hidden layer.</summary>
    public static int[] Layers(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return [];
        }

        return [.. text.Split(',').Select(part => int.TryParse(part.Trim(), CultureInfo.InvariantCulture, out int width) && width is > 0 and <= 100_000
            ? width
            : throw new UsageException($"--layers: '{part}' is not a layer width; give positive whole numbers like 64,32."))];
    }

    /// <summary>A CSV separator from <c>--delimiter</c> (see <see cref="NeuralSharp.Training.RunConfig.ParseDelimiter"/>).</summary>
    public static char? Delimiter(string? text) => Wrap(() => NeuralSharp.Training.RunConfig.ParseDelimiter(text), "--delimiter");

    /// <summary>An activation by name.</summary>
    public static ActivationKind Activation(string text, string option) => Wrap(() => NeuralSharp.Activations.Activation.Parse(text), option, NeuralSharp.Activations.Activation.Names, text);

    /// <summary>An initializer by name.</summary>
    public static IInitializer Initializer(string text) => Wrap(() => Initializers.Parse(text), "--init");

    /// <summary>An optimizer by name with an optional learning rate.</summary>
    public static Optimizer<float> Optimizer(string text, double? learningRate) =>
        Wrap(() => OptimizerFactory.Create<float>(text, learningRate), "--optimizer", OptimizerFactory.Names, text);

    /// <summary>A range <c>A,B</c> or <c>A:B</c> with A &lt; B.</summary>
    public static (double Min, double Max) Range(string text, string option)
    {
        string[] parts = text.Split(',', ':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double max)
            && min < max)
        {
            return (min, max);
        }

        throw new UsageException($"{option}: '{text}' is not a range; write it as MIN,MAX with MIN < MAX, e.g. -5,5.");
    }

    /// <summary>" Did you mean 'adam'?" for the known name nearest to a typo (at most two edits away), else empty.</summary>
    public static string Suggest(string typed, IEnumerable<string> known) =>
        NeuralSharp.Diagnostics.NameSuggestion.Nearest(typed, known) is { } name ? $" Did you mean '{name}'?" : "";

    private static T Wrap<T>(Func<T> parse, string option, IEnumerable<string>? known = null, string? typed = null)
    {
        try
        {
            return parse();
        }
        catch (OptionException error)
        {
            throw new UsageException($"{option}: {error.Detail}", error);
        }
        catch (ArgumentException error)
        {
            string hint = known is null || typed is null ? "" : Suggest(typed, known);
            throw new UsageException($"{option}: {error.Message.Split(" (Parameter", 2)[0]}{hint}", error);
        }
    }
}
