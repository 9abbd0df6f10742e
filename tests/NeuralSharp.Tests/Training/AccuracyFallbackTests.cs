using System.Diagnostics;
using NeuralSharp.Tests.Kernels;

namespace NeuralSharp.Tests.Training;

/// <summary>
/// The accuracy thresholds hold on every machine the project runs on: the tests that hold a network to an accuracy —
/// the defaults on every built-in set, the real data sets, the simple conv net on MNIST — run again in a child process
/// with AVX-512 switched off (an AVX2 machine's paths), then AVX2 too (the 128-bit ones), as the kernel tests do
/// (<see cref="KernelFallbackTests"/>); the child first checks that the switch really took.
/// </summary>
public sealed class AccuracyFallbackTests
{
    public static TheoryData<string, string[]> Configurations() => new()
    {
        { "avx512-off", ["DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0"] },
        { "avx2-off", ["DOTNET_EnableAVX2=0", "DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0"] },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Accuracy_thresholds_hold_with_wide_instructions_switched_off(string configuration, string[] environment)
    {
        var start = new ProcessStartInfo("dotnet",
            ["test", typeof(AccuracyFallbackTests).Assembly.Location, "--filter",
                "FullyQualifiedName~The_defaults_give_a_good_first_result|FullyQualifiedName~Training.RealDataTests|FullyQualifiedName~The_simple_conv_net_reaches|FullyQualifiedName~InstructionSetCheck"])
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{configuration}: {output} {await error}");
        Assert.Contains("Passed!", output, StringComparison.Ordinal);
    }
}
