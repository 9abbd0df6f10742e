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

/// <summary>The names every shell prints a task by.</summary>
public static class TaskKindNames
{
    /// <summary><c>regression</c>, <c>binary</c> or <c>multiclass</c>: how <c>train --json</c>, <c>summary</c> and <c>import</c> name the task.</summary>
    public static string Name(this TaskKind task) => task switch
    {
        TaskKind.Regression => "regression",
        TaskKind.BinaryClassification => "binary",
        _ => "multiclass",
    };
}
