namespace NeuralSharp;

/// <summary>
/// Thrown when data holds NaN or ±∞ where only finite numbers make sense (inputs, targets, a loss).
/// The message says where the value is, e.g. <c>Input x has NaN at row 3, column 1.</c>
/// </summary>
public sealed class NonFiniteValueException : ArgumentException
{
    /// <summary>Creates the exception with a message naming where the value is.</summary>
    public NonFiniteValueException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (for serializers and tooling).</summary>
    public NonFiniteValueException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public NonFiniteValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
