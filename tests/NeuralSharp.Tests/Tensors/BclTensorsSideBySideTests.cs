// the two usings a .NET developer writes together: nothing NeuralSharp names may be ambiguous with the BCL's tensors
using System.Numerics.Tensors;
using NeuralSharp;

namespace NeuralSharp.Tests.Tensors;

public sealed class BclTensorsSideBySideTests
{
    [Fact]
    public void NDArray_and_the_BCL_tensor_types_compile_in_one_file_and_agree()
    {
#pragma warning disable SYSLIB5001 // Tensor<T> is marked experimental in System.Numerics.Tensors 10
        Tensor<float> bcl = Tensor.Create([1f, 2f, 3f, 4f], [2, 2]);
#pragma warning restore SYSLIB5001
        NDArray<float> ours = NDArray.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        Assert.Equal(bcl.FlattenedLength, ours.Length);
        Assert.Equal(TensorPrimitives.Sum<float>([1f, 2f, 3f, 4f]), TensorPrimitives.Sum<float>(ours.AsSpan()));
    }
}
