using System.Diagnostics.CodeAnalysis;
using Ipam.Caching;

namespace Ipam.Allocations;

/// <summary>
/// Subnets as allocations, releases and updates loaded them, by revision, for the subnets whose free-space index
/// is not cached: one that only ever takes specific addresses, or one released through an instance that does not
/// allocate in it. The next such request does not read the subnet row and its pools again: a specific allocation
/// inserts at the kept subnet's revision (and loads the subnet only if that has changed), a release or an update
/// reads the revision and finds the subnet kept for it.
/// </summary>
/// <remarks>
/// A revision is never given to two committed versions of a row (a sequence on PostgreSQL, a counter on SQLite), so a
/// subnet cached for the revision a request reads is that subnet. A counter's value taken by a transaction that rolls
/// back may be given out again, so a subnet remembered in such a transaction is dropped with it.
/// </remarks>
internal sealed class LoadedSubnets(long bytes)
{
    /// <summary>About what one subnet costs: the record, its CIDR, gateway, name and ids, plus each pool's range.</summary>
    private const long BytesPerSubnet = 320;

    private const long BytesPerPool = 72;

    private readonly RevisionCache<Guid, Subnet> _subnets = new(new CacheBudget<Subnet>(bytes, s => BytesPerSubnet + (BytesPerPool * s.AllocationPools.Count)));

    public int Count => _subnets.Count;

    public bool TryGet(Guid subnetId, long revision, [NotNullWhen(true)] out Subnet? subnet) => _subnets.TryGet(subnetId, revision, out subnet);

    public bool TryGetAny(Guid subnetId, [NotNullWhen(true)] out Subnet? subnet) => _subnets.TryGetAny(subnetId, out subnet);

    /// <summary>Keeps <paramref name="subnet"/>, as <paramref name="session"/> read it, for its revision, unless the session's transaction rolls back.</summary>
    public void Remember(IIpamSession session, Subnet subnet)
    {
        _subnets.Put(subnet.Id, subnet.Revision, subnet);
        session.OnRolledBack(() => _subnets.Invalidate(subnet.Id, subnet));
    }
}
