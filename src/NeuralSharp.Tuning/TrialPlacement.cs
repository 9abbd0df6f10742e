using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace NeuralSharp.Tuning;

/// <summary>
/// Spreads a rung's trials evenly over the silos: the scheduler numbers the calls of a rung 0, 1, 2 … (in the request
/// context) and the n-th goes to the n-th silo (in address order) modulo their count. Random placement put 10 of 16
/// trials on one of two silos; a silo that has just joined is in the list from the next activation on.
/// </summary>
[GenerateSerializer]
public sealed class TrialPlacementStrategy : PlacementStrategy
{
    /// <summary>The request-context key that carries a call's place in its rung.</summary>
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
        int slot = target.RequestContextData is { } data && data.TryGetValue(TrialPlacementStrategy.SlotKey, out object? value) && value is int n ? n : Random.Shared.Next();
        return Task.FromResult(silos[(int)((uint)slot % (uint)silos.Length)]);
    }
}
