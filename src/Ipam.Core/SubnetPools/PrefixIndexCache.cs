using Ipam.Caching;

namespace Ipam.SubnetPools;

/// <summary>
/// Prefix indexes per subnet pool, rebuilt from the database (the pool's prefixes minus the subnets allocated
/// from it) whenever they are missing or were built for an older pool revision. An entry that a rolled-back
/// unit of work touched is dropped, never patched. The database stays the authority: every prefix the index
/// offers is checked against the pool's subnets in the same transaction before it is inserted.
/// </summary>
internal sealed class PrefixIndexCache() : SessionRevisionCache<SubnetPool, PrefixSpace>(BuildAsync)
{
    /// <summary>Returns the prefix of a deleted subnet to a cached index; drops the index if it disagrees.</summary>
    public void Released(Guid subnetPoolId, Cidr cidr)
    {
        if (!Entries.TryGetAny(subnetPoolId, out var entry))
        {
            return;
        }

        bool released;
        lock (entry.Gate)
        {
            released = entry.Index.Release(cidr);
        }

        if (!released)
        {
            // Rebuilt from a database that no longer held the subnet, or otherwise out of step: start afresh.
            Entries.Invalidate(subnetPoolId, entry);
        }
    }

    private static async ValueTask<PrefixSpace> BuildAsync((IIpamSession Session, SubnetPool Pool) state, CancellationToken cancellationToken)
    {
        var (session, pool) = state;
        ArgumentNullException.ThrowIfNull(session);
        var allocated = await session.ListPoolSubnetCidrsAsync(pool.Id, pool.Version, cancellationToken).ConfigureAwait(false);
        return new PrefixSpace(pool, new PrefixIndex(pool.PrefixSet, allocated));
    }
}
