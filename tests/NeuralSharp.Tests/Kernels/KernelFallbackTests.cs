using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Tests.Kernels;

/// <summary>
/// The GEMM, convolution and pooling tests run again in a child process with AVX-512, then AVX2, then all hardware intrinsics switched off,
/// so the fallback paths cannot rot (STYLE.md §11). The child first checks that the switch really took.
/// </summary>
public sealed class KernelFallbackTests
{
    public static TheoryData<string, string[]> Configurations() => new()
    {
        { "avx512-off", ["DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0"] },
        { "avx2-off", ["DOTNET_EnableAVX2=0", "DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0"] },
        { "intrinsics-off", ["DOTNET_EnableHWIntrinsic=0"] },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Gemm_matches_the_reference_with_wide_instructions_switched_off(string configuration, string[] environment)
    {
        var start = new ProcessStartInfo("dotnet",
            ["test", typeof(KernelFallbackTests).Assembly.Location, "--filter", "FullyQualifiedName~Kernels.GemmTests|FullyQualifiedName~Kernels.ConvolutionTests|FullyQualifiedName~Kernels.HalvesTests|FullyQualifiedName~InstructionSetCheck"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NEURALSHARP_EXPECT"] = configuration;
        foreach (string variable in environment)
        {
            string[] pair = variable.Split('=');
            start.Environment[pair[0]] = pair[1];
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{configuration}: {output} {await error}");
        Assert.Contains("Passed!", output, StringComparison.Ordinal);
    }
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
