namespace NeuralSharp.Training;

/// <summary>The way the training engine (<see cref="TrainingStep{T}"/>) ran its last step, which it chooses by itself.</summary>
public enum TrainingPath
{
    /// <summary>No step yet.</summary>
    None,

    /// <summary>
    /// A small dense network, one sample, plain SGD, ½ squared error: forward, backward and update fused into loops
    /// over the weights (the course's online exercise at nanoseconds a step).
    /// </summary>
    SmallNetwork,

    /// <summary>Plain SGD fused into the backward pass: each dense layer adds <c>−η·xᵀδ</c> straight into W.</summary>
    FusedSgd,

    /// <summary>Any of the library's optimizers, each layer's parameters updated (vectorised) as soon as the backward pass has passed it.</summary>
    LayerByLayer,

    /// <summary>An optimizer from outside the library: the whole backward pass, then its <c>Step</c>.</summary>
    WholeNetwork,
}
