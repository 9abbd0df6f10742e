using NeuralSharp.Diagnostics;

namespace NeuralSharp.Tests.Diagnostics;

public sealed class NameSuggestionTests
{
    [Theory]
    [InlineData("adma", "adam")]
    [InlineData("ADAM ", null)] // the name itself: nothing to suggest
    [InlineData("irs", "iris")]
    [InlineData("momentumm", "momentum")]
    [InlineData("lbfgs", null)] // too far from every name
    public void The_nearest_name_within_two_edits_is_suggested(string typed, string? expected) =>
        Assert.Equal(expected, NameSuggestion.Nearest(typed, ["sgd", "adam", "momentum", "iris"]));

    [Fact]
    public void The_distance_counts_insertions_deletions_and_substitutions() =>
        Assert.Equal([0, 1, 1, 1, 3], new[] { ("adam", "adam"), ("adam", "adm"), ("adam", "adams"), ("adam", "edam"), ("", "sgd") }.Select(p => NameSuggestion.Distance(p.Item1, p.Item2)));
}
