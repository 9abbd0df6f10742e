namespace NeuralSharp.Layers;

/// <summary>
/// A layer whose buffers for a batch are more than its input and output (im2col's columns, a recurrent layer's every
/// step): how many values it holds for a batch, so that <see cref="MemoryBudget"/> can refuse a batch before it is allocated.
/// </summary>
public interface IWorkingMemory
{
    /// <summary>The values the layer keeps for a forward and backward pass of <paramref name="batch"/> rows, input and output buffers included.</summary>
    long WorkingValues(int batch);
}
