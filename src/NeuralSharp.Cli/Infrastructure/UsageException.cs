namespace NeuralSharp.Cli.Infrastructure;

/// <summary>A bad option value found while running a command; exits 2 like any usage error. The message names the option.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
