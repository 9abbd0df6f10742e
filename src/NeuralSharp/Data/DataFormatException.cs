namespace NeuralSharp.Data;

/// <summary>
/// A data or model file that cannot be read as it is: the message names the file and, where it applies, the line
/// and column, e.g. <c>iris.csv, line 5, column 3 (petal_length_cm): 'abc' is not a number.</c>
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the file and the place.</summary>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (for serializers and tooling).</summary>
    public DataFormatException()
    {
    }

    /// <summary>Creates the exception wrapping the error that revealed the problem.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
