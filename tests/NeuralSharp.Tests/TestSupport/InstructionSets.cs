namespace NeuralSharp.Tests.TestSupport;

/// <summary>
/// Tests run again in a child process with wide instructions switched off (STYLE.md §11): AVX-512 (an AVX2 machine's
/// paths), AVX2 too (the 128-bit ones), or every hardware intrinsic; the child first checks that the switch really took
/// (<see cref="Kernels.InstructionSetCheck"/>).
/// </summary>
internal static class InstructionSets
{
    /// <summary>The switches: a name the child checks, and the runtime's environment variables.</summary>
    public static TheoryData<string, string[]> Off(bool intrinsicsToo)
    {
        var configurations = new TheoryData<string, string[]>
        {
            { "avx512-off", ["DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0"] },
            { "avx2-off", ["DOTNET_EnableAVX2=0", "DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0"] },
        };
        if (intrinsicsToo)
        {
            configurations.Add("intrinsics-off", ["DOTNET_EnableHWIntrinsic=0"]);
        }

        return configurations;
    }

    /// <summary>Runs the tests <paramref name="filter"/> selects in a child process under <paramref name="environment"/>; every one must pass.</summary>
    public static async Task RunTestsAsync(string configuration, string[] environment, string filter)
    {
        Dictionary<string, string> variables = environment.Select(v => v.Split('=')).ToDictionary(pair => pair[0], pair => pair[1]);
        variables["NEURALSHARP_EXPECT"] = configuration;
        (int code, string output) = await ProcessRun.RunAsync("dotnet", ["test", typeof(InstructionSets).Assembly.Location, "--filter", $"{filter}|FullyQualifiedName~InstructionSetCheck"], environment: variables, minutes: 10);
        Assert.True(code == 0, $"{configuration}: {output}");
        Assert.Contains("Passed!", output, StringComparison.Ordinal);
    }
}
