using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>Schedules written as text, and reduce-on-plateau.</summary>
public sealed class ScheduleGrammarTests
{
    [Theory]
    [InlineData("step:10:0.5", false)]
    [InlineData("exponential:0.9", false)]
    [InlineData("cosine", false)]
    [InlineData("cosine:0.0001", false)]
    [InlineData("warmup:100", true)]
    [InlineData("warmup:100:0.5", true)]
    [InlineData("cosine-warmup:50", true)]
    [InlineData("onecycle:0.01", true)]
    public void Each_form_makes_its_schedule(string text, bool perStep)
    {
        var schedule = Assert.IsType<LearningRateSchedule>(ScheduleGrammar.Parse(text, new Sgd<float>(0.1), epochs: 20, stepsPerEpoch: 10));
        Assert.Equal(perStep, schedule.PerStep);
    }

    [Fact]
    public void The_forms_say_what_they_do()
    {
        var sgd = new Sgd<float>(0.1);
        Assert.Equal(0.05, ((LearningRateSchedule)ScheduleGrammar.Parse("step:10:0.5", sgd, 20, 10)).RateFor(11), 12);
        Assert.Equal(0.01, ((LearningRateSchedule)ScheduleGrammar.Parse("warmup:100", sgd, 20, 10)).RateFor(0), 12);
        // one cycle over the run's 200 steps: its peak at step 59
        Assert.Equal(0.02, ((LearningRateSchedule)ScheduleGrammar.Parse("onecycle:0.02", sgd, 20, 10)).RateFor(59), 12);
        var plateau = Assert.IsType<ReduceOnPlateau>(ScheduleGrammar.Parse("plateau:3:0.5", sgd, 20, 10));
        Assert.Equal((3, 0.5), (plateau.Patience, plateau.Factor));
    }

    [Theory]
    [InlineData("linear", "'linear' is not a schedule")]
    [InlineData("step:10", "needs a factor")]
    [InlineData("step:0:0.5", "'0' is not a number of epochs")]
    [InlineData("exponential:1.5", "'1.5' is not a factor")]
    [InlineData("cosine-warmup:500", "not shorter than the run's 200")]
    [InlineData("cosine:0.1:2", "takes at most 1 numbers")]
    public void A_bad_schedule_is_refused_with_the_forms(string text, string expected)
    {
        OptionException error = Assert.Throws<OptionException>(() => ScheduleGrammar.Parse(text, new Sgd<float>(0.1), 20, 10));
        Assert.Equal("schedule", error.Option);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("step:K:γ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reduce_on_plateau_lowers_the_rate_after_patience_epochs_without_a_better_loss()
    {
        var sgd = new Sgd<float>(0.1);
        var plateau = ReduceOnPlateau.For(sgd, patience: 2, factor: 0.5);
        double[] losses = [1.0, 0.9, 0.95, 0.92, 0.91, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85];
        var rates = new List<double>();
        for (int e = 0; e < losses.Length; e++)
        {
            plateau.OnEpochEnd<float>(new EpochRecord(e + 1, e + 1, 2.0, double.NaN, losses[e], double.NaN), null!);
            rates.Add(sgd.LearningRate);
        }

        // best 0.9 at epoch 2; epochs 3, 4, 5 are not better: lowered after the third; 0.8 at epoch 6 is; then 7, 8, 9 lower it again, and 10, 11, 12
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125], rates.Select(r => Math.Round(r, 6)));
        Assert.Equal(3, plateau.Reductions);
    }

    [Fact]
    public void A_run_with_a_schedule_trains_with_it()
    {
        TrainingRun<float> constant = TrainingRun<float>.Start(new RunConfig { Data = "iris", Epochs = 5, Optimizer = "sgd", LearningRate = 0.1 });
        constant.Fit();
        TrainingRun<float> scheduled = TrainingRun<float>.Start(new RunConfig { Data = "iris", Epochs = 5, Optimizer = "sgd", LearningRate = 0.1, Schedule = "step:2:0.5" });
        scheduled.Fit();
        Assert.Equal(0.1, constant.Optimizer.LearningRate, 12);
        // after epoch 5 the rate set for a sixth: η₀·0.5^⌊5/2⌋
        Assert.Equal(0.1 * 0.5 * 0.5, scheduled.Optimizer.LearningRate, 12);
        Assert.Equal("schedule", Assert.Throws<OptionException>(() => new RunConfig { Schedule = "bogus" }.Validate()).Option);
    }
}
