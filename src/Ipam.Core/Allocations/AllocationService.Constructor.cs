using Ipam.Allocations.Strategies;

namespace Ipam.Allocations;

public sealed partial class AllocationService
{
    private readonly IIpamStore store;
    private readonly FreeSpaceCache cache;
    private readonly TimeProvider time;
    private readonly ChangeLog changes;
    private readonly AllocationStrategyRegistry strategies;

    /// <summary>Called by <c>AddIpam</c>, which supplies the internal caches a library user never builds.</summary>
    internal AllocationService(
        IIpamStore store, FreeSpaceCache cache, ChangeLog changes, IRandomSource random, TimeProvider time,
        IEnumerable<IAllocationStrategy>? strategies = null)
    {
        this.store = store;
        this.cache = cache;
        this.time = time;
        this.changes = changes;
        this.strategies = new([.. AllocationStrategies.BuiltIn(random), .. strategies ?? []]);
    }
}
