using Ipam.Caching;

namespace Ipam.SubnetPools;

/// <summary>
/// Prefix indexes per subnet pool, rebuilt from the database (the pool's prefixes minus the subnets allocated
/// from it) whenever they are missing or were built for another <see cref="SubnetPool.Generation"/>: the pool's
/// revision plus the number of times its subnets changed, which every subnet allocated from the pool or deleted
/// bumps in its transaction. So a subnet another instance deleted is seen before the next pick, as one it
/// allocated is. An instance's own change moves its index to the new generation in place (a prefix taken at once,
/// under the pool's row lock; a prefix freed when the deletion commits). An entry that a rolled-back unit of work
/// touched is dropped, never patched. The database stays the authority: every prefix the index offers is checked
/// against the pool's subnets in the same transaction before it is inserted.
/// </summary>
internal sealed class PrefixIndexCache() : SessionRevisionCache<SubnetPool, PrefixSpace>(BuildAsync)
{
    /// <summary>
    /// Moves the pool's index to <paramref name="generation"/>, which a unit that took its prefix from the index (in
    /// place) made; an index built for any other generation is dropped.
    /// </summary>
    public void Advanced(Guid subnetPoolId, long generation) => Entries.Advance(subnetPoolId, generation - 1, generation);

    /// <summary>
    /// Returns the prefix of a deleted subnet to the pool's index, built for the generation before the deletion, and
    /// moves it to <paramref name="generation"/>; drops an index that disagrees or was built for another generation.
    /// </summary>
    public void Released(Guid subnetPoolId, Cidr cidr, long generation)
    {
        if (!Entries.TryGet(subnetPoolId, generation - 1, out var space))
        {
            Entries.Advance(subnetPoolId, generation - 1, generation);
            return;
        }

        bool released;
        lock (space.Gate)
        {
            released = space.Index.Release(cidr);
        }

        if (released)
        {
            Entries.Advance(subnetPoolId, generation - 1, generation);
        }
        else
        {
            // Rebuilt from a database that no longer held the subnet, or otherwise out of step: start afresh.
            Entries.Invalidate(subnetPoolId, space);
        }
    }

    /// <summary>The pool's index if one is cached for <paramref name="generation"/>.</summary>
    public PrefixSpace? Cached(Guid subnetPoolId, long generation) => Entries.TryGet(subnetPoolId, generation, out var space) ? space : null;

    protected override long RevisionOf(SubnetPool source) => source.Generation;

    private static async ValueTask<PrefixSpace> BuildAsync((IIpamSession Session, SubnetPool Pool) state, CancellationToken cancellationToken)
    {
        var (session, pool) = state;
        ArgumentNullException.ThrowIfNull(session);
        var allocated = await session.ListPoolSubnetCidrsAsync(pool.Id, pool.Version, cancellationToken).ConfigureAwait(false);
        return new PrefixSpace(pool, new PrefixIndex(pool.PrefixSet, allocated));
    }
}
