using System.Numerics;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Losses;

namespace NeuralSharp.Training;

/// <summary>
/// The course's pairing of task, output layer and loss: regression — identity + ½ squared error; binary — one
/// sigmoid + binary cross entropy; multi-class — softmax + cross entropy.
/// </summary>
public static class TaskDefaults
{
    /// <summary>The output activation for a task.</summary>
    public static ActivationKind OutputActivation(TaskKind task) => task switch
    {
        TaskKind.Regression => ActivationKind.Identity,
        TaskKind.BinaryClassification => ActivationKind.Sigmoid,
        _ => ActivationKind.Softmax,
    };

    /// <summary>The number of output units for a data set: its target width, 1 for binary, the class count otherwise.</summary>
    public static int OutputWidth(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Task switch
        {
            TaskKind.Regression => data.TargetWidth,
            TaskKind.BinaryClassification => 1,
            _ => data.ClassCount,
        };
    }

    /// <summary>The loss for a task.</summary>
    public static ILoss<T> Loss<T>(TaskKind task)
        where T : unmanaged, IFloatingPointIeee754<T> => task switch
        {
            TaskKind.Regression => new SquaredError<T>(),
            TaskKind.BinaryClassification => new BinaryCrossEntropy<T>(),
            _ => new CrossEntropy<T>(),
        };
}
