using Ipam.Storage;

namespace Ipam.Allocations;

public sealed partial class AllocationService
{
    private readonly IIpamStore store;
    private readonly FreeSpaceCache cache;
    private readonly IRandomSource random;
    private readonly TimeProvider time;

    /// <summary>Called by <c>AddIpam</c>, which supplies the internal caches a library user never builds.</summary>
    internal AllocationService(IIpamStore store, FreeSpaceCache cache, IRandomSource random, TimeProvider time)
    {
        this.store = store;
        this.cache = cache;
        this.random = random;
        this.time = time;
    }
}
