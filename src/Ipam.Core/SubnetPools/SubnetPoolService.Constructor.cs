namespace Ipam.SubnetPools;

public sealed partial class SubnetPoolService
{
    private readonly IIpamStore store;
    private readonly PrefixIndexCache cache;
    private readonly TimeProvider time;
    private readonly ChangeLog changes;

    /// <summary>Called by <c>AddIpam</c>, which supplies the internal caches a library user never builds.</summary>
    internal SubnetPoolService(IIpamStore store, PrefixIndexCache cache, ChangeLog changes, TimeProvider time)
    {
        this.store = store;
        this.cache = cache;
        this.time = time;
        this.changes = changes;
    }
}
