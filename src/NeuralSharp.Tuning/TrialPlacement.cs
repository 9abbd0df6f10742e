using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace NeuralSharp.Tuning;

/// <summary>
/// Puts a trial's call on the silo the sweep's dispatcher chose for it — one with a free slot — named in the request
/// context; a call that names none (or a silo that has gone) goes to any of them.
/// </summary>
[GenerateSerializer]
public sealed class TrialPlacementStrategy : PlacementStrategy
{
    /// <summary>The request-context key that carries the silo a call is for.</summary>
    public const string SiloKey = "neuralsharp-silo";

    /// <summary>Makes <paramref name="call"/> with the request context naming <paramref name="silo"/>: an activation it causes is placed there.</summary>
    public static async Task<T> OnSiloAsync<T>(string silo, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        RequestContext.Set(SiloKey, silo);
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            RequestContext.Remove(SiloKey);
        }
    }
}

/// <summary>Marks the trial grain for <see cref="TrialPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TrialPlacementAttribute() : PlacementAttribute(new TrialPlacementStrategy());

/// <summary>Chooses the silo for a trial's activation; see <see cref="TrialPlacementStrategy"/>.</summary>
public sealed class TrialPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SiloAddress[] silos = context.GetCompatibleSilos(target);
        if (target.RequestContextData is { } named && named.TryGetValue(TrialPlacementStrategy.SiloKey, out object? chosen) && chosen is string address
            && Array.Find(silos, s => s.ToString() == address) is { } silo)
        {
            return Task.FromResult(silo);
        }

        return Task.FromResult(silos[Random.Shared.Next(silos.Length)]);
    }
}
