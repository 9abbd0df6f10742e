using System.Numerics;
using NeuralSharp.Activations;

namespace NeuralSharp.Layers;

/// <summary>
/// Applies an activation function to the layer before it: <c>z = f(u)</c>; backward, <c>∂L/∂u = ∂L/∂z · f'(u)</c>
/// (a Jacobian product for softmax). Kept apart from <see cref="Dense{T}"/> so it can be swapped, traced and checked.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ActivationLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> _outputs = new();
    private readonly BufferCache<T> _inputGradients = new();

    /// <summary>Wraps an activation function.</summary>
    public ActivationLayer(IActivation<T> activation, string? name = null)
    {
        Activation = activation ?? throw new ArgumentNullException(nameof(activation));
        Name = name ?? "";
    }

    /// <summary>Wraps the activation function of the given kind.</summary>
    public ActivationLayer(ActivationKind kind, string? name = null)
        : this(NeuralSharp.Activations.Activation.Create<T>(kind), name)
    {
    }

    /// <summary>The function applied.</summary>
    public IActivation<T> Activation { get; }

    /// <inheritdoc />
    public string Name { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public NDArray<T>? LastInput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutput { get; private set; }

    /// <inheritdoc />
    public NDArray<T>? LastOutputGradient { get; private set; }

    /// <inheritdoc />
    public int OutputWidth(int inputWidth) => inputWidth;

    /// <inheritdoc />
    public NDArray<T> Forward(NDArray<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
        {
            throw new ShapeMismatchException($"Activation layer '{Name}' expects input [batch, features] but got {x.Shape}.");
        }

        NDArray<T> z = _outputs.Get(x.Rows, x.Columns);
        Activation.Forward(x.AsSpan(), z.AsSpan(), x.Columns);
        LastInput = x;
        LastOutput = z;
        return z;
    }

    /// <inheritdoc />
    public NDArray<T> Backward(NDArray<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        NDArray<T> u = LastInput ?? throw new InvalidOperationException($"Activation layer '{Name}': call Forward before Backward.");
        NDArray<T> z = LastOutput!;
        if (outputGradient.Shape != z.Shape)
        {
            throw new ShapeMismatchException(
                $"Activation layer '{Name}' backward expects a gradient of its output's shape {z.Shape} but got {outputGradient.Shape}.");
        }

        LastOutputGradient = outputGradient;
        NDArray<T> du = _inputGradients.Get(u.Rows, u.Columns);
        Activation.Backward(u.AsSpan(), z.AsSpan(), outputGradient.AsSpan(), du.AsSpan(), u.Columns);
        return du;
    }

    /// <inheritdoc />
    public override string ToString() => $"Activation '{Name}' ({NeuralSharp.Activations.Activation.NameOf(Activation.Kind)})";
}
