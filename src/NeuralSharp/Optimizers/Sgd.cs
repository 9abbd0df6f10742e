using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Layers;

namespace NeuralSharp.Optimizers;

/// <summary>Plain gradient descent, the course's update: <c>W ← W − η · ∂E/∂W</c> for every parameter.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer with learning rate η (Deep Learning from Scratch's default 0.01).</summary>
    public Sgd(double learningRate = 0.01) => LearningRate = learningRate;

    /// <inheritdoc />
    public string Name => "sgd";

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        T eta = T.CreateChecked(-LearningRate);
        for (int i = 0; i < parameters.Count; i++)
        {
            Span<T> value = parameters[i].Value.AsSpan();
            // W ← W − η · ∂E/∂W
            TensorPrimitives.MultiplyAdd(parameters[i].Gradient.AsSpan(), eta, value, value);
        }
    }
}
