using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// A layer that computes differently while training and at inference (dropout, batch normalisation). Its network
/// sets the mode for all of them at once: <see cref="Sequential{T}.Training"/>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ITrainingModeLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>True while training (the default, as in PyTorch); false for inference.</summary>
    bool Training { get; set; }

    /// <summary>
    /// A new training step begins (the network calls this before each training forward pass): dropout draws its next
    /// mask. Forward passes in between — a gradient check's — see the same one.
    /// </summary>
    void BeginStep()
    {
    }
}
