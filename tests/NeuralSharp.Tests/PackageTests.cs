using System.Diagnostics;
using System.IO.Compression;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests;

/// <summary>
/// The library's NuGet package (licence, readme, the built-in data's attribution, symbols, SourceLink) and the
/// <c>neuralsharp</c> tool package (per platform, without the bench, installed and run as a local tool).
/// </summary>
public sealed class PackageTests
{
    private static Task<(int Code, string Output)> RunAsync(string file, string[] args, string? folder = null, Dictionary<string, string>? environment = null) =>
        ProcessRun.RunAsync(file, args, folder, environment);

    /// <summary>The NuGet package cache a tool install restores into.</summary>
    private static string Cache => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache ? cache
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [Fact]
    public async Task The_tool_packs_per_platform_without_the_bench_and_installs_and_trains_as_a_local_tool()
    {
        string work = Directory.CreateTempSubdirectory("ns-tool-").FullName, version = "";
        try
        {
            string feed = Path.Combine(work, "feed"), user = Path.Combine(work, "user");
            // a version of its own, so that no package cached by an earlier run is taken for this one
            version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
            // built apart (--artifacts-path) so that the repository's own bin and obj keep their bench-carrying build
            (int packed, string log) = await RunAsync("dotnet", ["pack", Path.Combine(LineBudgetTests.RepositoryRoot(), "src", "NeuralSharp.Cli"), "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(work, "artifacts"), $"-p:Version={version}", "--nologo"]);
            Assert.True(packed == 0, log);
            string linux = Path.Combine(feed, $"NeuralSharp.Cli.linux-x64.{version}.nupkg");
            Assert.True(File.Exists(linux), string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName)));
            long megabytes = new FileInfo(linux).Length >> 20;
            Assert.True(megabytes < 20, $"the linux-x64 tool package is {megabytes} MB");
            using (ZipArchive zip = ZipFile.OpenRead(linux))
            {
                string[] entries = [.. zip.Entries.Select(e => e.FullName)];
                Assert.DoesNotContain(entries, e => e.Contains("NeuralSharp.Bench", StringComparison.Ordinal));
                Assert.Contains(entries, e => e.EndsWith("linux-x64/libSkiaSharp.so", StringComparison.Ordinal));
                Assert.DoesNotContain(entries, e => e.EndsWith(".dylib", StringComparison.Ordinal) || e.EndsWith("libSkiaSharp.dll", StringComparison.Ordinal));
            }

            // installed from the folder as a local tool, as a user's `dotnet tool install` would
            Directory.CreateDirectory(user);
            var environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
            Assert.Equal(0, (await RunAsync("dotnet", ["new", "tool-manifest"], user, environment)).Code);
            (int installed, string installLog) = await RunAsync("dotnet", ["tool", "install", "NeuralSharp.Cli", "--local", "--add-source", feed, "--version", version], user, environment);
            Assert.True(installed == 0, installLog);
            Assert.True(Directory.Exists(Path.Combine(Cache, "neuralsharp.cli.linux-x64", version)), "the install did not take the linux-x64 package");
            Assert.False(Directory.Exists(Path.Combine(Cache, "neuralsharp.cli.any", version)), "the install took the all-platform package");
            (int trained, string result) = await RunAsync("dotnet", ["tool", "run", "neuralsharp", "--", "train", "--epochs", "5", "--json"], user, environment);
            Assert.True(trained == 0, result);
            Assert.True(System.Text.Json.JsonDocument.Parse(result).RootElement.GetProperty("test_accuracy").GetDouble() > 0.9, result);
            (int bench, string benchMessage) = await RunAsync("dotnet", ["tool", "run", "neuralsharp", "--", "bench"], user, environment);
            Assert.Equal(2, bench);
            Assert.Contains("not part of the neuralsharp tool package", benchMessage, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            foreach (string id in new[] { "neuralsharp.cli", "neuralsharp.cli.linux-x64", "neuralsharp.cli.any" })
            {
                string cached = Path.Combine(Cache, id, version);
                if (version.Length > 0 && Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task Packed_from_a_GitHub_clone_the_library_names_its_repository_and_its_symbols_carry_SourceLink()
    {
        // a git repository of its own (the checkout under test may have no remote, or none on GitHub)
        string root = LineBudgetTests.RepositoryRoot(), work = Directory.CreateTempSubdirectory("ns-sourcelink-").FullName;
        try
        {
            string copy = Path.Combine(work, "repo");
            foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "README.md", "LICENSE" })
            {
                Directory.CreateDirectory(copy);
                File.Copy(Path.Combine(root, file), Path.Combine(copy, file));
            }

            string source = Path.Combine(root, "src", "NeuralSharp");
            foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
            {
                string target = Path.Combine(copy, "src", "NeuralSharp", Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            string[][] git = [["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c"], ["remote", "add", "origin", "https://github.com/neuralsharp/neuralsharp"]];
            foreach (string[] args in git)
            {
                (int code, string output) = await RunAsync("git", args, copy);
                Assert.True(code == 0, output);
            }

            string commit = (await RunAsync("git", ["rev-parse", "HEAD"], copy)).Output.Trim();
            string feed = Path.Combine(work, "feed");
            (int packed, string log) = await RunAsync("dotnet", ["pack", Path.Combine(copy, "src", "NeuralSharp"), "-c", "Release", "-o", feed, "--nologo"], copy);
            Assert.True(packed == 0, log);
            // packed without a version of its own: 0.1.N, N the commits (one here), so that each commit's pack is a new version
            string packageFile = Directory.GetFiles(feed, "NeuralSharp.*.nupkg").Single(f => !f.EndsWith(".snupkg", StringComparison.Ordinal));
            Assert.Equal("NeuralSharp.0.1.1.nupkg", Path.GetFileName(packageFile));
            using ZipArchive zip = ZipFile.OpenRead(packageFile);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            string text = await nuspec.ReadToEndAsync();
            Assert.Contains("<version>0.1.1</version>", text, StringComparison.Ordinal);
            Assert.Contains($"<repository type=\"git\" url=\"https://github.com/neuralsharp/neuralsharp\"", text, StringComparison.Ordinal);
            Assert.Contains($"commit=\"{commit}\"", text, StringComparison.Ordinal);
            using ZipArchive symbols = ZipFile.OpenRead(Directory.GetFiles(feed, "*.snupkg").Single());
            using var pdb = new MemoryStream();
            await symbols.Entries.Single(e => e.FullName.EndsWith("NeuralSharp.pdb", StringComparison.Ordinal)).Open().CopyToAsync(pdb);
            // the SourceLink document is stored as plain UTF-8 JSON inside the portable PDB
            string bytes = System.Text.Encoding.UTF8.GetString(pdb.ToArray());
            Assert.Contains($"https://raw.githubusercontent.com/neuralsharp/neuralsharp/{commit}/*", bytes, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

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
