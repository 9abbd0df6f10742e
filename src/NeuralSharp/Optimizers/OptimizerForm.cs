namespace NeuralSharp.Optimizers;

/// <summary>Which book an adaptive optimizer's formula follows, where they differ (see <see cref="Adam{T}"/>, <see cref="RmsProp{T}"/>).</summary>
public enum OptimizerForm
{
    /// <summary>Deep Learning from Scratch, as the course uses it: ε = 1e-7 (and Adam's bias correction folded into the rate).</summary>
    Course,

    /// <summary>PyTorch's <c>torch.optim</c>: ε = 1e-8 (and Adam's bias correction applied to m and v, ε added after it).</summary>
    PyTorch,
}
