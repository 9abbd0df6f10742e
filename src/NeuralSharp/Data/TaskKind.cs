namespace NeuralSharp.Data;

/// <summary>What a data set asks a network to do; it decides the output layer and the loss.</summary>
public enum TaskKind
{
    /// <summary>Predict numbers: identity output, ½ squared error.</summary>
    Regression,

    /// <summary>Two classes: one sigmoid output (the probability of class 1), binary cross entropy.</summary>
    BinaryClassification,

    /// <summary>Three or more classes: softmax over the classes, cross entropy.</summary>
    MultiClassClassification,
}
