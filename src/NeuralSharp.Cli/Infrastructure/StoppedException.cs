namespace NeuralSharp.Cli.Infrastructure;

/// <summary>A command stopped by Ctrl+C or SIGTERM before it finished; exits 130 with one line.</summary>
public sealed class StoppedException : Exception
{
    /// <summary>Creates the exception with the line the command prints.</summary>
    public StoppedException()
        : base("Stopped (Ctrl+C or a termination signal) before the command finished.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the cancellation that stopped the command.</summary>
    public StoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
