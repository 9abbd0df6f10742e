using System.Diagnostics;
using System.IO.Compression;

namespace NeuralSharp.Tests;

/// <summary>The library's NuGet package: licence, readme, the built-in data's attribution, and a symbols package.</summary>
public sealed class PackageTests
{
    [Fact]
    public async Task The_library_packs_with_its_licence_readme_attribution_and_symbols()
    {
        string output = Directory.CreateTempSubdirectory("ns-pack-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", ["pack", Path.Combine(LineBudgetTests.RepositoryRoot(), "src", "NeuralSharp"), "-c", "Release", "-o", output, "--nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process process = Process.Start(start)!;
            Task<string> errors = process.StandardError.ReadToEndAsync();
            string log = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, log + await errors);
            string package = Directory.GetFiles(output, "NeuralSharp.*.nupkg").Single(f => !f.EndsWith(".snupkg", StringComparison.Ordinal));
            Assert.Single(Directory.GetFiles(output, "*.snupkg"));
            using ZipArchive zip = ZipFile.OpenRead(package);
            string[] entries = [.. zip.Entries.Select(e => e.FullName)];
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains("SOURCES-AND-LICENCES.md", entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            string text = await nuspec.ReadToEndAsync();
            Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
