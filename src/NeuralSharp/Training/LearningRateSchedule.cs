using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Training;

/// <summary>
/// A learning rate that changes as training goes, as a callback that sets the optimizer's rate: η₀ is the rate the
/// optimizer had when the schedule was made. Per epoch (set at each epoch's end for the next, e = 1, 2, …):
/// <code>
/// Step(every k, factor γ)     η(e) = η₀ · γ^⌊(e − 1)/k⌋
/// Exponential(γ)              η(e) = η₀ · γ^(e − 1)
/// Cosine(E epochs, η_min)     η(e) = η_min + ½(η₀ − η_min)(1 + cos(π (e − 1)/E))
/// </code>
/// Per step (set before each update, t = 0, 1, … counted from the run's first step), as PyTorch's schedulers stepped
/// once per batch:
/// <code>
/// LinearWarmup(W, s)          η(t) = η₀ · (s + (1 − s) · min(t, W)/W)                   torch's LinearLR(s, 1, W)
/// CosineWithWarmup(W, N)      η(t) = η₀ · t/W for t &lt; W, then
///                             η_min + (η₀ − η_min) · ½(1 + cos(π (t − W)/(N − W)))    transformers' get_cosine_schedule_with_warmup
/// OneCycle(N, η_max, p)       from η_max/25 up to η_max over the first p·N steps, then down to η_max/25/10⁴, each half
///                             a cosine                                                   torch's OneCycleLR(cycle_momentum=False)
/// </code>
/// </summary>
public sealed class LearningRateSchedule : ITrainingCallback
{
    private readonly Action<double> _set;
    private readonly Func<int, double> _rate;

    private LearningRateSchedule(double initial, Action<double> set, Func<double, int, double> rate, bool perStep)
    {
        _set = set;
        _rate = index => rate(initial, index);
        PerStep = perStep;
    }

    private static LearningRateSchedule For<T>(IOptimizer<T> optimizer, Func<double, int, double> rate, bool perStep = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return new(optimizer.LearningRate, value => optimizer.LearningRate = value, rate, perStep);
    }

    /// <summary>True when the rate changes before every step, false when at every epoch's end.</summary>
    public bool PerStep { get; }

    /// <summary>The rate for epoch <paramref name="index"/> (1-based), or for step <paramref name="index"/> (0-based) when <see cref="PerStep"/>.</summary>
    public double RateFor(int index) => _rate(index);

    /// <summary>The rate times <paramref name="factor"/> every <paramref name="every"/> epochs.</summary>
    public static LearningRateSchedule Step<T>(IOptimizer<T> optimizer, int every, double factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        return For(optimizer, (initial, epoch) => initial * Math.Pow(factor, (epoch - 1) / every));
    }

    /// <summary>The rate times <paramref name="factor"/> after every epoch.</summary>
    public static LearningRateSchedule Exponential<T>(IOptimizer<T> optimizer, double factor)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        For(optimizer, (initial, epoch) => initial * Math.Pow(factor, epoch - 1));

    /// <summary>Half a cosine from the rate down to <paramref name="minimum"/> over <paramref name="epochs"/> epochs (then the minimum).</summary>
    public static LearningRateSchedule Cosine<T>(IOptimizer<T> optimizer, int epochs, double minimum = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        return For(optimizer, (initial, epoch) => minimum + (0.5 * (initial - minimum) * (1 + Math.Cos(Math.PI * Math.Min(epoch - 1, epochs) / epochs))));
    }

    /// <summary>
    /// Per step: the rate grows in a straight line from <paramref name="startFactor"/>·η₀ to η₀ over <paramref name="steps"/>
    /// steps, then stays (PyTorch's <c>LinearLR(start_factor, end_factor=1, total_iters)</c>; its defaults 1/3 and 5).
    /// </summary>
    public static LearningRateSchedule LinearWarmup<T>(IOptimizer<T> optimizer, int steps = 5, double startFactor = 1.0 / 3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(startFactor);
        return For(optimizer, (initial, t) => initial * (startFactor + ((1 - startFactor) * Math.Min(t, steps) / steps)), perStep: true);
    }

    /// <summary>
    /// Per step: from 0 up to η₀ in a straight line over <paramref name="warmupSteps"/> steps (the first step's rate is 0),
    /// then half a cosine down to <paramref name="minimum"/> at step <paramref name="totalSteps"/> (then the minimum) —
    /// the transformers library's <c>get_cosine_schedule_with_warmup</c> when the minimum is 0.
    /// </summary>
    public static LearningRateSchedule CosineWithWarmup<T>(IOptimizer<T> optimizer, int warmupSteps, int totalSteps, double minimum = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(totalSteps, warmupSteps);
        return For(optimizer, (initial, t) =>
        {
            if (t < warmupSteps)
            {
                return initial * ((double)t / warmupSteps);
            }

            double progress = Math.Min((double)(t - warmupSteps) / (totalSteps - warmupSteps), 1);
            return minimum + ((initial - minimum) * Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * progress))));
        }, perStep: true);
    }

    /// <summary>
    /// Per step, Smith's one-cycle policy as PyTorch's <c>OneCycleLR</c> (cosine annealing, two phases, without cycling the
    /// momentum): from <paramref name="maxRate"/>/<paramref name="divisor"/> up to <paramref name="maxRate"/> over the first
    /// <paramref name="warmupShare"/> of <paramref name="totalSteps"/>, then down to that start over
    /// <paramref name="finalDivisor"/>. The optimizer's own rate is replaced.
    /// </summary>
    public static LearningRateSchedule OneCycle<T>(IOptimizer<T> optimizer, int totalSteps, double maxRate, double warmupShare = 0.3, double divisor = 25, double finalDivisor = 1e4)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRate);
        if (!(warmupShare > 0 && warmupShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(warmupShare), warmupShare, "The share of the steps spent rising lies in (0, 1).");
        }

        double start = maxRate / divisor, end = start / finalDivisor;
        double peak = (warmupShare * totalSteps) - 1, last = totalSteps - 1;
        // each phase: end + (start − end)/2 · (cos(π·pct) + 1), pct the share of the phase done (PyTorch's _annealing_cos)
        static double Anneal(double from, double to, double pct) => to + ((from - to) / 2.0 * (Math.Cos(Math.PI * pct) + 1));
        return For(optimizer, (_, t) => t <= peak ? Anneal(start, maxRate, t / peak) : Anneal(maxRate, end, Math.Min((t - peak) / (last - peak), 1)), perStep: true);
    }

    /// <inheritdoc />
    public void OnStepStart(int step)
    {
        if (PerStep)
        {
            _set(RateFor(step));
        }
    }

    /// <inheritdoc />
    public bool OnEpochEnd<T>(EpochRecord epoch, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (!PerStep)
        {
            _set(RateFor(epoch.Epoch + 1));
        }

        return true;
    }
}
