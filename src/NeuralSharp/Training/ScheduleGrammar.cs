using System.Globalization;
using System.Numerics;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// A learning-rate schedule written as text (<c>train --schedule</c>, a configuration's <c>schedule</c>):
/// <code>
/// step:K:γ               η × γ every K epochs                 LearningRateSchedule.Step
/// exponential:γ          η × γ after every epoch              LearningRateSchedule.Exponential
/// cosine[:η_min]         half a cosine over the run's epochs  LearningRateSchedule.Cosine
/// warmup:N[:s]           from s·η up to η over N steps        LearningRateSchedule.LinearWarmup (s = 0.1)
/// cosine-warmup:N[:η_min]  up over N steps, then a cosine to the run's last step   LearningRateSchedule.CosineWithWarmup
/// onecycle:η_max         one cycle over the run's steps       LearningRateSchedule.OneCycle
/// plateau[:P[:γ]]        η × γ after P epochs without a better loss   ReduceOnPlateau (P = 10, γ = 0.1)
/// </code>
/// </summary>
public static class ScheduleGrammar
{
    /// <summary>The schedules' names, for messages and help.</summary>
    public static IReadOnlyList<string> Names { get; } = ["step", "exponential", "cosine", "warmup", "cosine-warmup", "onecycle", "plateau"];

    /// <summary>The callback <paramref name="text"/> names, over a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps.</summary>
    /// <exception cref="OptionException">The text is not a schedule; the message shows the forms.</exception>
    public static ITrainingCallback Parse<T>(string text, IOptimizer<T> optimizer, int epochs, int stepsPerEpoch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().ToLowerInvariant().Split(':');
        double Number(int index, double? fallback, Func<double, bool> valid, string what)
        {
            if (index >= parts.Length)
            {
                return fallback ?? throw Bad($"'{parts[0]}' needs {what}");
            }

            return double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && valid(value)
                ? value : throw Bad($"'{parts[index]}' is not {what}");
        }

        int Whole(int index, int? fallback, string what) => (int)Number(index, fallback, v => v >= 1 && v <= 1_000_000 && v == Math.Floor(v), what);
        OptionException Bad(string problem) =>
            new("schedule", $"{problem} in '{text}'. Schedules: step:K:γ, exponential:γ, cosine[:η_min], warmup:N[:s], cosine-warmup:N[:η_min], onecycle:η_max, plateau[:P[:γ]].");
        int steps = Math.Max(epochs * stepsPerEpoch, 2);
        Func<double, bool> fraction = v => v > 0 && v < 1, rate = v => v > 0 && v <= 10, nonNegative = v => v >= 0 && v <= 10;
        int most = parts[0] switch { "step" => 3, "exponential" or "onecycle" => 2, "cosine" => 2, "plateau" or "warmup" or "cosine-warmup" => 3, _ => 0 };
        if (parts.Length > most)
        {
            throw Bad(most == 0 ? $"'{parts[0]}' is not a schedule" : $"'{parts[0]}' takes at most {most - 1} numbers");
        }

        return parts[0] switch
        {
            "step" => LearningRateSchedule.Step(optimizer, Whole(1, null, "a number of epochs K ≥ 1"), Number(2, null, fraction, "a factor γ in (0, 1)")),
            "exponential" => LearningRateSchedule.Exponential(optimizer, Number(1, null, fraction, "a factor γ in (0, 1)")),
            "cosine" => LearningRateSchedule.Cosine(optimizer, epochs, Number(1, 0, nonNegative, "a lowest rate η_min ≥ 0")),
            "warmup" => LearningRateSchedule.LinearWarmup(optimizer, Whole(1, null, "a number of steps N ≥ 1"), Number(2, 0.1, v => v > 0 && v <= 1, "a starting share s in (0, 1]")),
            "cosine-warmup" => Whole(1, null, "a number of steps N ≥ 1") is int warm && warm < steps
                ? LearningRateSchedule.CosineWithWarmup(optimizer, warm, steps, Number(2, 0, nonNegative, "a lowest rate η_min ≥ 0"))
                : throw Bad($"a warm-up of {parts[1]} steps is not shorter than the run's {steps}"),
            "onecycle" => LearningRateSchedule.OneCycle(optimizer, steps, Number(1, null, rate, "a highest rate η_max in (0, 10]")),
            _ => ReduceOnPlateau.For(optimizer, Whole(1, 10, "a patience P ≥ 1"), Number(2, 0.1, fraction, "a factor γ in (0, 1)")),
        };
    }
}
