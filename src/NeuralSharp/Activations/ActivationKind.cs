using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>The activation functions of the course, by name.</summary>
public enum ActivationKind
{
    /// <summary><c>f(u) = u</c>: the regression output.</summary>
    Identity,

    /// <summary><c>f(u) = 1 if u &gt; 0 else 0</c>: the perceptron's step.</summary>
    Step,

    /// <summary><c>f(u) = 1 / (1 + e^(−u))</c>: hidden layers, binary outputs.</summary>
    Sigmoid,

    /// <summary><c>f(u) = tanh(u)</c>.</summary>
    Tanh,

    /// <summary><c>f(u) = max(0, u)</c>.</summary>
    Relu,

    /// <summary><c>f(u) = u if u &gt; 0 else αu</c>, α = 0.01.</summary>
    LeakyRelu,

    /// <summary><c>f(u)_j = e^(u_j) / Σ_k e^(u_k)</c> per row: the multi-class output.</summary>
    Softmax,
}

/// <summary>Creates activation functions by <see cref="ActivationKind"/> or by name.</summary>
public static class Activation
{
    /// <summary>The lower-case names accepted by <see cref="Parse"/>, in <see cref="ActivationKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["identity", "step", "sigmoid", "tanh", "relu", "leaky-relu", "softmax"];

    /// <summary>The activation function of the given kind.</summary>
    public static IActivation<T> Create<T>(ActivationKind kind)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
        {
            ActivationKind.Identity => new Identity<T>(),
            ActivationKind.Step => new Step<T>(),
            ActivationKind.Sigmoid => new Sigmoid<T>(),
            ActivationKind.Tanh => new Tanh<T>(),
            ActivationKind.Relu => new Relu<T>(),
            ActivationKind.LeakyRelu => new LeakyRelu<T>(),
            ActivationKind.Softmax => new Softmax<T>(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
        };

    /// <summary>The lower-case name of a kind, e.g. <c>"relu"</c>.</summary>
    public static string NameOf(ActivationKind kind) => Names[(int)kind];

    /// <summary>Parses a name such as <c>relu</c>, <c>leaky-relu</c> or <c>Sigmoid</c>.</summary>
    /// <exception cref="ArgumentException">The name is not an activation; the message lists the known ones.</exception>
    public static ActivationKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        if (key == "leakyrelu")
        {
            key = "leaky-relu";
        }

        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] == key)
            {
                return (ActivationKind)i;
            }
        }

        throw new ArgumentException($"Unknown activation '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
    }
}
