namespace NeuralSharp.Tuning.Tests;

public sealed class SearchSpaceTests
{
    private const string Space = "lr=log(1e-4,1e-1); layers=64|128|64,32; optimizer=sgd|adam; batch=16|64";

    [Fact]
    public void The_issues_space_parses_and_samples_within_its_bounds()
    {
        IReadOnlyList<TrialConfig> trials = SearchSpace.Parse(Space).Trials(40, seed: 3, grid: false);
        Assert.Equal(40, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.InRange(t.LearningRate, 1e-4, 1e-1);
            Assert.Contains(string.Join(',', t.Layers), new[] { "64", "128", "64,32" });
            Assert.Contains(t.Optimizer, new[] { "sgd", "adam" });
            Assert.Contains(t.Batch, new[] { 16, 64 });
        });
        // log-uniform: about as many rates below 3e-3 (the geometric middle) as above
        Assert.InRange(trials.Count(t => t.LearningRate < 3.16e-3), 10, 30);
        Assert.Equal(3, trials.Select(t => string.Join(',', t.Layers)).Distinct().Count());
    }

    [Fact]
    public void A_trials_settings_depend_on_its_seed_and_number_only()
    {
        SearchSpace space = SearchSpace.Parse(Space);
        IReadOnlyList<TrialConfig> few = space.Trials(5, seed: 9, grid: false), many = space.Trials(40, seed: 9, grid: false);
        Assert.Equal(few.Select(t => t.Describe()), many.Take(5).Select(t => t.Describe()));
        Assert.NotEqual(few.Select(t => t.Describe()), space.Trials(5, seed: 10, grid: false).Select(t => t.Describe()));
    }

    [Fact]
    public void A_grid_visits_every_combination_once()
    {
        SearchSpace space = SearchSpace.Parse("lr=0.01|0.1; layers=8|16,8; optimizer=sgd|adam|momentum");
        Assert.True(space.IsGrid);
        IReadOnlyList<TrialConfig> grid = space.Trials(100, seed: 1, grid: true);
        Assert.Equal(12, grid.Count);
        Assert.Equal(12, grid.Select(t => t.Describe()).Distinct().Count());
        Assert.Contains("log(", Assert.Throws<FormatException>(() => SearchSpace.Parse(Space).Trials(4, 1, grid: true)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lr=log(0,1)", "low > 0")]
    [InlineData("lr=log(1e-1,1e-4)", "low < high")]
    [InlineData("lrr=0.1", "did you mean 'lr'")]
    [InlineData("optimizer=adma", "did you mean 'adam'")]
    [InlineData("layers=64,0", "layer widths")]
    [InlineData("layers=uniform(1,9)", "takes choices")]
    [InlineData("batch=0", "batch size")]
    [InlineData("lr", "not name=values")]
    [InlineData("lr=0.1; lr=0.2", "given twice")]
    [InlineData(" ; ", "names no dimension")]
    public void A_bad_space_is_one_clear_message(string space, string expected)
    {
        FormatException error = Assert.Throws<FormatException>(() => SearchSpace.Parse(space));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("--space", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trials_are_bounded()
    {
        SearchSpace space = SearchSpace.Parse("lr=0.1");
        Assert.Throws<FormatException>(() => space.Trials(0, 1, grid: false));
        Assert.Throws<FormatException>(() => space.Trials(SearchSpace.MaxTrials + 1, 1, grid: false));
    }
}
