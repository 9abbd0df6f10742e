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

    /// <summary><c>f(u) = u·Φ(u) = ½u(1 + erf(u/√2))</c>: the Gaussian error linear unit of transformers.</summary>
    Gelu,

    /// <summary><c>f(u) = ½u(1 + tanh(√(2/π)(u + 0.044715u³)))</c>: GELU's tanh approximation (GPT-2's).</summary>
    GeluTanh,

    /// <summary><c>f(u) = u·σ(u)</c>: the sigmoid linear unit (swish).</summary>
    Silu,
}

/// <summary>
/// Every activation, registered once: its kind, the name the command line and the model file use, its ONNX operator
/// (a <c>+</c> joins the nodes of one written as two), its PyTorch module (<c>{0}</c> stands for its parameter), and how
/// to make one. The ONNX export and import, the generated PyTorch script, the command line, the playground and the
/// gradient check read this table; adding an activation is its operator file and a row here.
/// </summary>
/// <param name="Kind">The kind.</param>
/// <param name="Name">The lower-case name, e.g. <c>leaky-relu</c>.</param>
/// <param name="OnnxOp">The ONNX operator, e.g. <c>Relu</c>, or the nodes that compute it, e.g. <c>Sigmoid+Mul</c>.</param>
/// <param name="PyTorchModule">The <c>torch.nn</c> module, e.g. <c>nn.LeakyReLU({0})</c>.</param>
public sealed record ActivationInfo(ActivationKind Kind, string Name, string OnnxOp, string PyTorchModule)
{
    /// <summary>An attribute the ONNX operator takes, fixed by the kind (GELU's <c>approximate</c>), or null.</summary>
    public (string Name, string Value)? OnnxAttribute { get; init; }

    /// <summary>True for a function of each element alone (all but softmax).</summary>
    public bool Elementwise => Kind != ActivationKind.Softmax;
}

/// <summary>Creates activation functions by <see cref="ActivationKind"/> or by name.</summary>
public static class Activation
{
    /// <summary>Every activation, in <see cref="ActivationKind"/> order.</summary>
    public static IReadOnlyList<ActivationInfo> Registry { get; } =
    [
        new(ActivationKind.Identity, "identity", "Identity", "nn.Identity()"),
        new(ActivationKind.Step, "step", "Greater+Cast", "Step()"),
        new(ActivationKind.Sigmoid, "sigmoid", "Sigmoid", "nn.Sigmoid()"),
        new(ActivationKind.Tanh, "tanh", "Tanh", "nn.Tanh()"),
        new(ActivationKind.Relu, "relu", "Relu", "nn.ReLU()"),
        new(ActivationKind.LeakyRelu, "leaky-relu", "LeakyRelu", "nn.LeakyReLU({0})"),
        new(ActivationKind.Softmax, "softmax", "Softmax", "nn.Softmax(dim=1)"),
        new(ActivationKind.Gelu, "gelu", "Gelu", "nn.GELU()") { OnnxAttribute = ("approximate", "none") },
        new(ActivationKind.GeluTanh, "gelu-tanh", "Gelu", "nn.GELU(approximate='tanh')") { OnnxAttribute = ("approximate", "tanh") },
        new(ActivationKind.Silu, "silu", "Sigmoid+Mul", "nn.SiLU()"),
    ];

    /// <summary>The lower-case names accepted by <see cref="Parse"/>, in <see cref="ActivationKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Registry.Select(a => a.Name)];

    /// <summary>The registry's row of a kind.</summary>
    public static ActivationInfo Info(ActivationKind kind) => Registry[(int)kind];

    /// <summary>The activation function of the given kind.</summary>
    public static IActivation<T> Create<T>(ActivationKind kind)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (uint)kind < (uint)Factory<T>.Make.Length ? Factory<T>.Make[(int)kind]() : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");

    /// <summary>The lower-case name of a kind, e.g. <c>"relu"</c>.</summary>
    public static string NameOf(ActivationKind kind) => Names[(int)kind];

    /// <summary>Parses a name such as <c>relu</c>, <c>leaky-relu</c> or <c>Sigmoid</c>.</summary>
    /// <exception cref="ArgumentException">The name is not an activation; the message lists the known ones.</exception>
    public static ActivationKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        key = key switch { "leakyrelu" => "leaky-relu", "swish" => "silu", _ => key };
        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] == key)
            {
                return (ActivationKind)i;
            }
        }

        throw new ArgumentException($"Unknown activation '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
    }

    private static class Factory<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // in ActivationKind order, beside the registry
        public static readonly Func<IActivation<T>>[] Make =
        [
            () => new Identity<T>(), () => new Step<T>(), () => new Sigmoid<T>(), () => new Tanh<T>(), () => new Relu<T>(),
            () => new LeakyRelu<T>(), () => new Softmax<T>(), () => new Gelu<T>(), () => new GeluTanh<T>(), () => new Silu<T>(),
        ];
    }
}
