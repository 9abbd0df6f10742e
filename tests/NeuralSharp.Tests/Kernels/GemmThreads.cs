namespace NeuralSharp.Tests.Kernels;

/// <summary>Tests that set the process-wide <c>Parallelism.Threads</c> run one at a time, so each sees the count it set.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GemmThreads
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Parallelism.Threads";
}
