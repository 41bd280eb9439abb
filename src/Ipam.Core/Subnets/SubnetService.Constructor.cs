namespace Ipam.Subnets;

public sealed partial class SubnetService
{
    private readonly IIpamStore store;
    private readonly FreeSpaceCache cache;
    private readonly PrefixAllocator prefixes;
    private readonly TimeProvider time;
    private readonly ChangeLog changes;

    /// <summary>Called by <c>AddIpam</c>, which supplies the internal caches a library user never builds.</summary>
    internal SubnetService(IIpamStore store, FreeSpaceCache cache, PrefixAllocator prefixes, ChangeLog changes, TimeProvider time)
    {
        this.store = store;
        this.cache = cache;
        this.prefixes = prefixes;
        this.time = time;
        this.changes = changes;
    }
}
