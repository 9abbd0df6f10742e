using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>A layer read from ONNX nodes, built in the model's scalar type once the whole chain is read.</summary>
internal interface IOnnxLayer
{
    /// <summary>The layer, with the weights read.</summary>
    ILayer<T> Build<T>()
        where T : unmanaged, IFloatingPointIeee754<T>;
}
