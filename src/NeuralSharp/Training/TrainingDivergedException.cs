namespace NeuralSharp.Training;

/// <summary>
/// Training stopped because the loss became NaN or infinite. The network holds the last weights that gave a finite
/// loss; the message names the step and suggests a smaller learning rate.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for a loss that went bad at <paramref name="step"/>.</summary>
    public TrainingDivergedException(int step, double loss, double learningRate)
        : base($"Training diverged at step {step}: the loss became {(double.IsNaN(loss) ? "NaN" : "infinite")}. " +
               $"The network keeps the weights of step {Math.Max(step - 1, 0)}, the last with a finite loss. " +
               $"Try a smaller learning rate than {learningRate:G4}, e.g. {learningRate / 10:G4}.")
    {
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>Creates the exception with no details (for serializers and tooling).</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based step whose loss was not finite.</summary>
    public int Step { get; }

    /// <summary>That loss (NaN or ±∞).</summary>
    public double Loss { get; }

    /// <summary>The learning rate in use.</summary>
    public double LearningRate { get; }

    /// <summary>What happened up to the divergence (the finite losses), when a <see cref="Trainer{T}"/> was running.</summary>
    public History? History { get; internal set; }
}
