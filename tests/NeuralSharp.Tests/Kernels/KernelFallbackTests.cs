using System.Runtime.Intrinsics;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Kernels;

/// <summary>
/// The GEMM, convolution and pooling tests run again in a child process with AVX-512, then AVX2, then all hardware intrinsics switched off,
/// so the fallback paths cannot rot (STYLE.md §11). The child first checks that the switch really took.
/// </summary>
public sealed class KernelFallbackTests
{
    public static TheoryData<string, string[]> Configurations() => InstructionSets.Off(intrinsicsToo: true);

    [Theory]
    [MemberData(nameof(Configurations))]
    public Task Gemm_matches_the_reference_with_wide_instructions_switched_off(string configuration, string[] environment) =>
        InstructionSets.RunTestsAsync(configuration, environment, "FullyQualifiedName~Kernels.GemmTests|FullyQualifiedName~Kernels.ConvolutionTests|FullyQualifiedName~Kernels.HalvesTests|FullyQualifiedName~Kernels.PackedMatrixTests");
}

/// <summary>Run by the child: the instruction sets the parent switched off are really off.</summary>
public sealed class InstructionSetCheck
{
    [Fact]
    public void Switched_off_instruction_sets_are_not_used()
    {
        string? expected = Environment.GetEnvironmentVariable("NEURALSHARP_EXPECT");
        Assert.True(expected is null or "avx512-off" or "avx2-off" or "intrinsics-off", expected);
        if (expected is null)
        {
            return;
        }

        Assert.False(Vector512.IsHardwareAccelerated);
        if (expected != "avx512-off")
        {
            Assert.False(System.Runtime.Intrinsics.X86.Avx2.IsSupported);
        }

        if (expected == "intrinsics-off")
        {
            Assert.False(Vector128.IsHardwareAccelerated);
        }
    }
}
