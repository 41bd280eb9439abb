namespace Ipam.Storage;

/// <summary>Subnet pools, each read and written with its prefixes, and the subnets allocated from them.</summary>
public partial interface IIpamSession
{
    /// <summary>
    /// The pool with its prefixes (ascending), or null. With <see cref="RowLock.ForUpdate"/> the pool is held
    /// until the unit of work ends, so that prefix allocations, quota checks and changes of one pool run one at
    /// a time.
    /// </summary>
    ValueTask<SubnetPool?> FindSubnetPoolAsync(Guid id, RowLock rowLock, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<SubnetPool>> ListSubnetPoolsAsync(SubnetPoolQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Records in the pool's row that one of its subnets was allocated or deleted (<see cref="SubnetPool.SubnetsVersion"/>),
    /// locking the row until the transaction ends; returns the pool's <see cref="SubnetPool.Generation"/> after it.
    /// </summary>
    ValueTask<long> AdvancePoolSubnetsAsync(Guid subnetPoolId, CancellationToken cancellationToken);

    /// <summary>The CIDRs of every subnet allocated from the pool, ascending; used to rebuild the prefix index.</summary>
    ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsAsync(Guid subnetPoolId, IpVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// The CIDRs of the pool's subnets whose network is at or after <paramref name="first"/>, ascending, at most
    /// <paramref name="limit"/>; pages of the free space read them from where the page starts.
    /// </summary>
    ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsFromAsync(Guid subnetPoolId, IpAddress first, int limit, CancellationToken cancellationToken);

    /// <summary>The last subnet of the pool whose network is before <paramref name="first"/>, or null.</summary>
    ValueTask<Cidr?> FindPoolSubnetStartingBeforeAsync(Guid subnetPoolId, IpAddress first, CancellationToken cancellationToken);

    /// <summary>
    /// A subnet allocated from the pool that overlaps <paramref name="range"/>, or null. The subnets of a pool
    /// never overlap each other (this check, made before every insert, keeps it so), which lets a store answer
    /// with two index lookups: a subnet starting inside the range, or the last one starting before it.
    /// </summary>
    ValueTask<Cidr?> FindPoolSubnetOverlappingAsync(Guid subnetPoolId, AddressRange range, CancellationToken cancellationToken);

    /// <summary>How many subnets of each prefix length the tenant (null: subnets without one) holds in the pool.</summary>
    ValueTask<IReadOnlyList<(int PrefixLength, long Count)>> CountPoolSubnetsByPrefixLengthAsync(
        Guid subnetPoolId, string? tenantId, CancellationToken cancellationToken);

    ValueTask InsertSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the pool's mutable fields and its prefixes, storing <see cref="SubnetPool.Revision"/>.
    /// Throws <see cref="Errors.SubnetPoolNotFoundException"/> when the pool does not exist.
    /// </summary>
    ValueTask UpdateSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken);

    /// <summary>Deletes the pool and its prefixes; false when it did not exist.</summary>
    ValueTask<bool> DeleteSubnetPoolAsync(Guid id, CancellationToken cancellationToken);
}
