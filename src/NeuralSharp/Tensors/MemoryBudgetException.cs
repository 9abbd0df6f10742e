namespace NeuralSharp;

/// <summary>
/// Thrown before a network would allocate more memory than the budget allows for a batch (<see cref="Layers.MemoryBudget"/>):
/// the message gives the figure, the layer that needs most, and what to change.
/// </summary>
public sealed class MemoryBudgetException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that gives the figure and what to change.</summary>
    public MemoryBudgetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (for serializers and tooling).</summary>
    public MemoryBudgetException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public MemoryBudgetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
