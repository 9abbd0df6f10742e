namespace NeuralSharp;

/// <summary>
/// Thrown where data comes into an operation with the wrong shape. The message names the operation (and layer)
/// and both shapes, e.g. <c>Dense layer 'dense1' expects input [batch, 2] but got [1, 3].</c>
/// </summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with a message that names the operation and both shapes.</summary>
    public ShapeMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (for serializers and tooling).</summary>
    public ShapeMismatchException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public ShapeMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
