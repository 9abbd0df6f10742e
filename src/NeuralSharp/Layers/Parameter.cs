using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// A learnable tensor paired with its gradient and a stable name (<c>dense1.W</c>). Optimizers, gradient checks,
/// traces and model files all walk the same list of parameters.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a parameter holding <paramref name="value"/> (not copied) and a zero gradient of its shape.</summary>
    public Parameter(string name, NDArray<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = new NDArray<T>(value.Shape);
    }

    /// <summary>The stable name, <c>layer.symbol</c>, e.g. <c>dense1.W</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>The current value.</summary>
    public NDArray<T> Value { get; }

    /// <summary><c>∂L/∂value</c> from the last backward pass (overwritten by each pass).</summary>
    public NDArray<T> Gradient { get; }

    /// <summary>Shape of the value (and of the gradient).</summary>
    public Shape Shape => Value.Shape;

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Shape}";
}
