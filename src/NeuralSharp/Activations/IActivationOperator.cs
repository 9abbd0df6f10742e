using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>
/// An elementwise activation written once, in the manner of TensorPrimitives' operator structs: the value
/// <c>z = f(u)</c> and the derivative <c>f'(u)</c> (from u and the stored z, whichever is cheaper), each for one number
/// and for a vector of them. The layers (through <see cref="ElementwiseActivation{T, TOperator}"/>) and the training
/// engine's small-network path call these and nothing else.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary><c>z = f(u)</c>.</summary>
    T Value(T u);

    /// <summary><c>z = f(u)</c>, lane by lane.</summary>
    Vector<T> Value(Vector<T> u);

    /// <summary><c>f'(u)</c>, given u and <c>z = f(u)</c>.</summary>
    T Derivative(T u, T z);

    /// <summary><c>f'(u)</c>, lane by lane.</summary>
    Vector<T> Derivative(Vector<T> u, Vector<T> z);
}
