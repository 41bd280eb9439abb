using System.Collections.Frozen;

namespace Ipam.Allocations.Strategies;

/// <summary>The strategies a request may name, found by their exact (case-sensitive) names.</summary>
internal sealed class AllocationStrategyRegistry
{
    private readonly FrozenDictionary<string, IAllocationStrategy> _byName;
    private readonly string _choices;

    public AllocationStrategyRegistry(IEnumerable<IAllocationStrategy> strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        var byName = new Dictionary<string, IAllocationStrategy>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var strategy in strategies)
        {
            if (!byName.TryAdd(strategy.Name, strategy))
            {
                throw new ArgumentException($"Two allocation strategies are named '{strategy.Name}'.", nameof(strategies));
            }

            names.Add($"'{strategy.Name}'");
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _choices = names.Count > 1 ? $"{string.Join(", ", names[..^1])} or {names[^1]}" : string.Join("", names);
    }

    /// <summary>The strategy called <paramref name="name"/>; an unknown name is an invalid request.</summary>
    public IAllocationStrategy Get(string name) =>
        _byName.TryGetValue(name, out var strategy)
            ? strategy
            : throw ValidationException.InvalidRequest("strategy", $"strategy must be {_choices}, not '{name}'.");
}
