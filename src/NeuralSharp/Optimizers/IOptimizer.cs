using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Optimizers;

/// <summary>Updates parameters from their gradients after a backward pass.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A short name, e.g. <c>sgd</c>.</summary>
    string Name { get; }

    /// <summary>The learning rate η.</summary>
    double LearningRate { get; set; }

    /// <summary>Applies one update to every parameter, using its current <see cref="Parameter{T}.Gradient"/>.</summary>
    void Step(IReadOnlyList<Parameter<T>> parameters);
}
