namespace NeuralSharp.Training;

/// <summary>How the trainer turns a data set into updates — the course's ways to descend.</summary>
public enum DescentMode
{
    /// <summary>Batch gradient descent: one update per epoch, from the mean error over all samples.</summary>
    FullBatch,

    /// <summary>Mini-batch: each epoch reshuffles the samples and partitions them into batches (the last, partial one kept).</summary>
    MiniBatch,

    /// <summary>
    /// Stochastic gradient descent: each step draws <see cref="TrainingOptions.BatchSize"/> samples at random with
    /// replacement (the course's <c>np.random.choice</c>); 1 sample by default.
    /// </summary>
    Stochastic,

    /// <summary>
    /// Online learning over a data set held in memory: each epoch visits every sample once, in a fresh order, one update
    /// per sample (the course's online SGD; <see cref="OnlineLearner{T}"/> does the same for samples that arrive one by one).
    /// </summary>
    Online,
}
