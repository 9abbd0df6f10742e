using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NeuralSharp.Tests;

/// <summary>Every C# snippet of the README compiles as shown, its usings included (a snippet is the first code a .NET developer copies).</summary>
public sealed partial class ReadmeTests
{
    public static TheoryData<int> Snippets() => [.. Enumerable.Range(0, CSharpBlocks().Count)];

    private static List<string> CSharpBlocks() =>
        [.. Block().Matches(File.ReadAllText(Path.Combine(LineBudgetTests.RepositoryRoot(), "README.md"))).Select(m => m.Groups[1].Value)];

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task The_snippet_compiles_as_shown(int index)
    {
        string folder = Directory.CreateTempSubdirectory("ns-readme-").FullName;
        try
        {
            string project = Path.Combine(LineBudgetTests.RepositoryRoot(), "src", "NeuralSharp", "NeuralSharp.csproj");
            string file = Path.Combine(folder, $"snippet{index}.cs");
            await File.WriteAllTextAsync(file, $"#:project {project}\n{CSharpBlocks()[index]}");
            var start = new ProcessStartInfo("dotnet", ["build", file, "-c", "Release", "--nologo"]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            using Process process = Process.Start(start)!;
            Task<string> errors = process.StandardError.ReadToEndAsync();
            string output = await process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"README snippet {index + 1} does not compile:\n{CSharpBlocks()[index]}\n{output}{await errors}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
