namespace NeuralSharp;

/// <summary>
/// Thrown when one option of a run (a <see cref="Training.RunConfig"/> field, the command line's option of the same
/// name) holds a value that cannot be used. <see cref="Option"/> names the field, e.g. <c>layers</c>; the message is
/// <c>layers: '10,x' is not a layer; …</c>.
/// </summary>
public sealed class OptionException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="option"/> with what is wrong and what to write instead.</summary>
    public OptionException(string option, string detail)
        : base($"{option}: {detail}")
    {
        Option = option;
        Detail = detail;
    }

    /// <summary>Creates the exception with a whole message (no option named).</summary>
    public OptionException(string message)
        : this("option", message)
    {
    }

    /// <summary>Creates the exception with a whole message and its cause.</summary>
    public OptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Option = "option";
        Detail = message;
    }

    /// <summary>Creates the exception with no message.</summary>
    public OptionException()
        : this("option", "invalid value")
    {
    }

    /// <summary>
    /// What <paramref name="parse"/> reads from <paramref name="typed"/>, or this exception for <paramref name="option"/>
    /// with the parser's message — and the nearest of the <paramref name="known"/> names, when one is close.
    /// </summary>
    internal static TValue Parse<TValue>(string option, string typed, Func<TValue> parse, IEnumerable<string>? known = null)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException error) when (error is not OptionException)
        {
            string hint = known is not null && Diagnostics.NameSuggestion.Nearest(typed, known) is { } near ? $" Did you mean '{near}'?" : "";
            throw new OptionException(option, error.Message.Split(" (Parameter", 2)[0] + hint);
        }
    }

    /// <summary>The option's name as a configuration file spells it (<c>layers</c>, <c>val-split</c>).</summary>
    public string Option { get; }

    /// <summary>What is wrong with its value, and what to write instead.</summary>
    public string Detail { get; }
}
