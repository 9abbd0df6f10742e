using System.Text.RegularExpressions;

namespace NeuralSharp.Tests.Docs;

/// <summary><c>docs/course-map.md</c> stays true: every file it names exists, and every member it names after a file is in that file.</summary>
public sealed partial class CourseMapTests
{
    private static readonly string Root = LineBudgetTests.RepositoryRoot();

    public static TheoryData<string> Rows() =>
        [.. File.ReadAllLines(Path.Combine(Root, "docs", "course-map.md")).Where(line => line.StartsWith("| ", StringComparison.Ordinal) && line.Contains(".cs`", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_file_and_member_the_course_map_names_exists(string row)
    {
        string where = row.Split(" | ")[^1];
        Assert.NotEmpty(SourceFile().Matches(where));
        foreach (Match file in SourceFile().Matches(where))
        {
            string path = Resolve(file.Groups[1].Value);
            string text = File.ReadAllText(path);
            // the members named right after the file: `File.cs` — `Forward`, `Backward` (up to the next file)
            string after = where[(file.Index + file.Length)..];
            int next = SourceFile().Match(after) is { Success: true } following ? following.Index : after.Length;
            foreach (Match member in Member().Matches(after[..next]))
            {
                string name = member.Groups[1].Value;
                Assert.True(Regex.IsMatch(text, $@"\b{Regex.Escape(name)}\b"), $"course-map.md names `{name}` in {file.Groups[1].Value}, which has no such member");
            }
        }
    }

    private static string Resolve(string path)
    {
        string[] candidates = [Path.Combine(Root, path), Path.Combine(Root, "src", "NeuralSharp", path)];
        return candidates.FirstOrDefault(File.Exists) ?? throw new Xunit.Sdk.XunitException($"course-map.md names {path}, which does not exist");
    }

    [GeneratedRegex(@"`((?:src/)?[A-Za-z0-9./]+\.cs)`")]
    private static partial Regex SourceFile();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+)`")]
    private static partial Regex Member();
}
