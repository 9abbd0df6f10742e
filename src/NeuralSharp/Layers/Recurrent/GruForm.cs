namespace NeuralSharp.Layers;

/// <summary>Where a GRU's reset gate acts on the state (ONNX's <c>linear_before_reset</c> 1 or 0).</summary>
public enum GruForm
{
    /// <summary>PyTorch's: on the state's product, <c>n = tanh(x·W_in + b_in + r ⊙ (h·W_hn + b_hn))</c>.</summary>
    PyTorch,

    /// <summary>
    /// The course's and Deep Learning from Scratch's (Cho et al.'s first paper): on the state before the product,
    /// <c>n = tanh(x·W_in + b_in + (r ⊙ h)·W_hn + b_hn)</c>.
    /// </summary>
    ResetBeforeProduct,
}
