using System.Numerics;

namespace NeuralSharp.Diagnostics;

/// <summary>When in a training step a traced value arises.</summary>
public enum TracePhase
{
    /// <summary>The forward pass: x, W, b, u, z, y.</summary>
    Forward,

    /// <summary>The loss: d and E.</summary>
    Loss,

    /// <summary>The backward pass: δ, ∂E/∂W, ∂E/∂b.</summary>
    Backward,
}

/// <summary>What a traced value is, in the course's vocabulary (a front end translates these).</summary>
public enum TraceQuantity
{
    /// <summary>x, the input (入力).</summary>
    Input,

    /// <summary>W, the weights (重み).</summary>
    Weights,

    /// <summary>b, the bias (バイアス).</summary>
    Bias,

    /// <summary>u = xW + b, the total input (総入力).</summary>
    TotalInput,

    /// <summary>z = f(u), a hidden layer's output (中間層出力).</summary>
    HiddenOutput,

    /// <summary>y, the network's output (出力).</summary>
    Output,

    /// <summary>d, the target (訓練データ).</summary>
    Target,

    /// <summary>E, the loss (誤差).</summary>
    Loss,

    /// <summary>δ = ∂E/∂u (偏微分_dE/du).</summary>
    Delta,

    /// <summary>∂E/∂W (偏微分_重み).</summary>
    WeightGradient,

    /// <summary>∂E/∂b (偏微分_バイアス).</summary>
    BiasGradient,

    /// <summary>A recurrent layer's state hₜ after a step.</summary>
    State,

    /// <summary>A gate of an LSTM (i, f, g, o) or a GRU (r, z, n) at a step, as applied.</summary>
    Gate,

    /// <summary>An LSTM's cell state cₜ after a step.</summary>
    CellState,
}

/// <summary>One value of a trace: the course's <c>print_vec(label, value)</c>, with its shape.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="Phase">Forward, loss or backward.</param>
/// <param name="Layer">The layer it belongs to (<c>dense1</c>), or empty for x, d and E.</param>
/// <param name="Label">The course's symbol with the layer number: <c>u1</c>, <c>z2</c>, <c>delta1</c>, <c>dW2</c>.</param>
/// <param name="Quantity">What it is.</param>
/// <param name="Value">A copy of the value.</param>
public sealed record TraceEntry<T>(TracePhase Phase, string Layer, string Label, TraceQuantity Quantity, NDArray<T> Value)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The value's shape.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>Writes the entry as <c>*** u1 [1, 3] ***</c> followed by the values, like <c>print_vec</c>.</summary>
    public override string ToString() => $"*** {Label} {Shape} ***{Environment.NewLine}{Value}";
}
