using NeuralSharp.Tests.Kernels;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Training;

/// <summary>
/// The accuracy thresholds hold on every machine the project runs on: the tests that hold a network to an accuracy —
/// the defaults on every built-in set, the real data sets, the simple conv net on MNIST — run again in a child process
/// with AVX-512 switched off (an AVX2 machine's paths), then AVX2 too (the 128-bit ones), as the kernel tests do
/// (<see cref="KernelFallbackTests"/>); the child first checks that the switch really took.
/// </summary>
public sealed class AccuracyFallbackTests
{
    public static TheoryData<string, string[]> Configurations() => InstructionSets.Off(intrinsicsToo: false);

    [Theory]
    [MemberData(nameof(Configurations))]
    public Task Accuracy_thresholds_hold_with_wide_instructions_switched_off(string configuration, string[] environment) =>
        InstructionSets.RunTestsAsync(configuration, environment,
            "FullyQualifiedName~The_defaults_give_a_good_first_result|FullyQualifiedName~Training.RealDataTests|FullyQualifiedName~The_simple_conv_net_reaches");
}
