using System.Text.RegularExpressions;

namespace NeuralSharp.Tests;

/// <summary>The dependencies the design promises, read off the source: layers know nothing of training, and the shells leave the task head to the library.</summary>
public sealed class ArchitectureTests
{
    private static readonly string Source = Path.Combine(LineBudgetTests.RepositoryRoot(), "src");

    private static IEnumerable<(string Path, string Text)> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (p, string.Join('\n', File.ReadAllLines(p).Where(line => !line.TrimStart().StartsWith("///", StringComparison.Ordinal)))));

    [Fact]
    public void Layers_do_not_depend_on_training()
    {
        foreach ((string path, string text) in Files(Path.Combine("NeuralSharp", "Layers")))
        {
            Assert.False(Regex.IsMatch(text, @"NeuralSharp\.Training|using NeuralSharp\.Training"), $"{Path.GetFileName(path)} uses the Training namespace");
        }
    }

    [Fact]
    public void No_shell_constructs_a_loss_or_maps_an_output_to_one()
    {
        // the course's exercises build their own networks and losses as the notebooks do; every other file asks the task head
        string[] shells = ["NeuralSharp.Cli", "NeuralSharp.Playground", "NeuralSharp.Tuning"];
        foreach ((string path, string text) in shells.SelectMany(Files).Where(f => !f.Path.Contains($"{Path.DirectorySeparatorChar}Experiments{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            Assert.False(Regex.IsMatch(text, @"new (SquaredError|CrossEntropy|BinaryCrossEntropy)<"), $"{Path.GetFileName(path)} constructs a loss");
            Assert.False(Regex.IsMatch(text, @"ActivationKind\.(Softmax|Sigmoid|Identity)\s*=>\s*new"), $"{Path.GetFileName(path)} maps an output activation to a loss");
        }
    }

    [Fact]
    public void Unsafe_and_hand_vectorised_loops_live_in_the_kernels_folder()
    {
        // operator structs may state a formula on Vector<T>; loading, storing and pointers are the kernels' business
        string kernels = $"{Path.DirectorySeparatorChar}Kernels{Path.DirectorySeparatorChar}";
        foreach ((string path, string text) in Files("NeuralSharp").Where(f => !f.Path.Contains(kernels, StringComparison.Ordinal)))
        {
            Assert.False(Regex.IsMatch(text, @"\bunsafe\b|MemoryMarshal\.GetReference|LoadUnsafe|StoreUnsafe|\bUnsafe\.(?!SizeOf|BitCast)|fixed \("), $"{Path.GetFileName(path)} holds an unsafe or hand-vectorised loop outside Kernels/");
        }
    }
}
