using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace NeuralSharp.Tuning;

/// <summary>
/// Puts a trial's call on the silo the sweep's dispatcher chose for it — one with a free slot — named in the request
/// context; a call that names none (or a silo that has gone) goes to the n-th silo in address order for its number n
/// modulo their count.
/// </summary>
[GenerateSerializer]
public sealed class TrialPlacementStrategy : PlacementStrategy
{
    /// <summary>The request-context key that carries the silo a call is for.</summary>
    public const string SiloKey = "neuralsharp-silo";

    /// <summary>The request-context key that carries a call's number, for the fallback.</summary>
    public const string SlotKey = "neuralsharp-slot";
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
        SiloAddress[] silos = [.. context.GetCompatibleSilos(target).OrderBy(s => s.ToString(), StringComparer.Ordinal)];
        if (target.RequestContextData is { } named && named.TryGetValue(TrialPlacementStrategy.SiloKey, out object? chosen) && chosen is string address
            && Array.Find(silos, s => s.ToString() == address) is { } silo)
        {
            return Task.FromResult(silo);
        }

        int slot = target.RequestContextData is { } data && data.TryGetValue(TrialPlacementStrategy.SlotKey, out object? value) && value is int n ? n : Random.Shared.Next();
        return Task.FromResult(silos[(int)((uint)slot % (uint)silos.Length)]);
    }
}
