namespace Ipam.Storage.Sql;

/// <summary>
/// The statements of one SQL store. Statements run through Dapper take named parameters; the hot ones (run
/// on prepared commands, see <see cref="ISqlDialect.NamesParameters"/>) take the parameters documented here,
/// in that order.
/// </summary>
internal sealed record SqlText
{
    /// <summary>Appended to a single-row SELECT to hold the row until the transaction ends ("" where the store needs no row locks).</summary>
    public required string ForUpdate { get; init; }

    public required string SelectSubnet { get; init; }

    public required string SelectAllocationPools { get; init; }

    /// <summary>Hot: (id). Share-locks the row where transactions run concurrently.</summary>
    public required string SelectSubnetRevision { get; init; }

    public required string SelectSubnets { get; init; }

    public required string InsertSubnet { get; init; }

    public required string InsertAllocationPool { get; init; }

    public required string UpdateSubnet { get; init; }

    public required string DeleteAllocationPools { get; init; }

    public required string DeleteSubnet { get; init; }

    /// <summary>Hot: (subnet, ip, owner, description, created, expires); inserts nothing when the address is taken.</summary>
    public required string InsertAllocation { get; init; }

    public required string SelectAllocation { get; init; }

    /// <summary>Hot: (subnet), every allocated address ascending.</summary>
    public required string SelectAllocatedAddresses { get; init; }

    /// <summary>Prepared: (subnet, after, limit); a page in address order.</summary>
    public required string ListAllocations { get; init; }

    /// <summary>Prepared: (subnet, after, limit, owner); a page of one owner's allocations in address order.</summary>
    public required string ListAllocationsByOwner { get; init; }

    public required string DeleteAllocation { get; init; }

    /// <summary>Prepared: (now, subnet); returns subnet_id, ip, ip_version of each deleted row.</summary>
    public required string DeleteExpiredAllocations { get; init; }

    /// <summary>Prepared: (limit); as <see cref="DeleteExpiredAllocations"/>, at most limit rows, by the database's clock.</summary>
    public required string SweepExpiredAllocations { get; init; }

    public required string CountAllocations { get; init; }

    public required string CountPoolSubnets { get; init; }

    public required string CountScopeSubnetPools { get; init; }

    public required string SelectIdempotencyRecord { get; init; }

    public required string InsertIdempotencyRecord { get; init; }

    public required string DeleteIdempotencyRecordsBefore { get; init; }

    public required string SelectAddressScope { get; init; }

    public required string SelectAddressScopes { get; init; }

    public required string InsertAddressScope { get; init; }

    public required string DeleteAddressScope { get; init; }

    /// <summary>Returns subnet_pool_id, network (the prefix's first address), prefix_length.</summary>
    public required string SelectScopePrefixOverlap { get; init; }

    public required string SelectSubnetPool { get; init; }

    /// <summary>Returns network (the prefix's first address), prefix_length, ascending.</summary>
    public required string SelectSubnetPoolPrefixes { get; init; }

    public required string SelectSubnetPools { get; init; }

    public required string InsertSubnetPool { get; init; }

    public required string InsertSubnetPoolPrefix { get; init; }

    public required string UpdateSubnetPool { get; init; }

    public required string DeleteSubnetPoolPrefixes { get; init; }

    public required string DeleteSubnetPool { get; init; }

    public required string SelectPoolSubnetCidrs { get; init; }

    /// <summary>The first subnet of the pool whose network lies in [first, last].</summary>
    public required string SelectPoolSubnetStartingInside { get; init; }

    /// <summary>The last subnet of the pool whose network lies before first.</summary>
    public required string SelectPoolSubnetStartingBefore { get; init; }

    /// <summary>Returns prefix_length, count for one tenant's subnets of a pool.</summary>
    public required string CountPoolSubnetsByPrefixLength { get; init; }

    /// <summary>The same for the subnets without a tenant.</summary>
    public required string CountPoolSubnetsByPrefixLengthWithoutTenant { get; init; }
}
