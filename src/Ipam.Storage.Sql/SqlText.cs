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

    /// <summary>Hot: (subnet, ip, owner, description, created, expires, by); inserts nothing when the address is taken.</summary>
    public required string InsertAllocation { get; init; }

    /// <summary>
    /// Hot: (subnet, ip, owner, description, created, expires, by, revision): the same insert, made only while the
    /// subnet is at that revision (share-locking it, as <see cref="SelectSubnetRevision"/> does, where transactions
    /// run concurrently). Returns one row: whether the subnet is at that revision (0 or 1), then the rows inserted.
    /// </summary>
    public required string InsertAllocationAtRevision { get; init; }

    public required string SelectAllocation { get; init; }

    /// <summary>Hot: (subnet), every allocated address ascending.</summary>
    public required string SelectAllocatedAddresses { get; init; }

    /// <summary>Prepared: (subnet, after, limit); a page in address order.</summary>
    public required string ListAllocations { get; init; }

    /// <summary>Prepared: (subnet, after, limit, owner); a page of one owner's allocations in address order.</summary>
    public required string ListAllocationsByOwner { get; init; }

    /// <summary>Prepared: (subnet, ip); returns the deleted row.</summary>
    public required string DeleteAllocation { get; init; }

    /// <summary>Prepared: (subnet); returns the deleted rows.</summary>
    public required string DeleteSubnetAllocations { get; init; }

    /// <summary>Prepared: (now, subnet); returns each deleted row with its subnet_id and ip_version.</summary>
    public required string DeleteExpiredAllocations { get; init; }

    /// <summary>Prepared: (limit, now); as <see cref="DeleteExpiredAllocations"/>, at most limit rows.</summary>
    public required string SweepExpiredAllocations { get; init; }

    public required string CountAllocations { get; init; }

    /// <summary>(subnet); returns its usage counters: the count of all its allocations, then of those inside its allocation pools.</summary>
    public required string CountSubnetAllocations { get; init; }

    /// <summary>(subnet); sets the subnet's usage counters to a count of its allocation rows against its stored pools.</summary>
    public required string RecountSubnetUsage { get; init; }

    /// <summary>
    /// Returns subnet_id, allocated, in_pools (the counters) and counted_allocated, counted_in_pools (a count of
    /// the rows) of every subnet whose counters differ from the count, by id.
    /// </summary>
    public required string SelectUsageMismatches { get; init; }

    public required string CountSubnets { get; init; }

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

    /// <summary>
    /// Prepared: (at, type, actor, tenant, subnet, resource, ip, cidr, reason, held, before, after): appends changes of a
    /// committing transaction. Where the dialect binds arrays (<see cref="ISqlDialect.BindsArrays"/>) each parameter is
    /// an array with one element per change, appended in array order; otherwise it is one change's value. Where
    /// transactions commit concurrently it first takes a lock held until the commit, so that positions are
    /// handed out in commit order.
    /// </summary>
    public required string AppendChanges { get; init; }

    /// <summary>(after, limit, tenant): a page of the log in commit order.</summary>
    public required string SelectChanges { get; init; }

    /// <summary>Hot: (after, limit); seq, type, at, ip_address, subnet_id of allocation changes in commit order, every subnet's.</summary>
    public required string SelectAllocationChanges { get; init; }

    /// <summary>Prepared: (subnet, since): the same columns, of the subnet's releases and expiries made at or after since.</summary>
    public required string SelectRecentSubnetAllocationEnds { get; init; }

    public required string SelectLastChangeSequence { get; init; }

    /// <summary>A revision the database has never handed out before (see migration 0010).</summary>
    public required string NextRevision { get; init; }

    /// <summary>The server's clock, now (not the transaction's start); null for a database without a clock of its own.</summary>
    public required string? SelectDatabaseTime { get; init; }

    /// <summary>(cutoff, limit): deletes changes made before cutoff among the oldest limit ones.</summary>
    public required string DeleteChangesBefore { get; init; }

    /// <summary>(subnet, ip, before, limit): the address's allocation ends in the subnet logged before seq before, newest first.</summary>
    public required string SelectAllocationEnds { get; init; }

    /// <summary>(ip, at, tenant): the address's allocation ends, in any subnet, of allocations made at or before at and ended after it.</summary>
    public required string SelectAllocationEndsSpanning { get; init; }

    /// <summary>
    /// (networks, version, ip, tenant): the current allocations of ip in the subnets that contain it, by subnet id. networks is a
    /// JSON array of [network key as hex, prefix length] pairs, one per prefix length of the family; returns the allocation
    /// columns with subnet_id and ip_version, then the subnet's network and prefix_length.
    /// </summary>
    public required string SelectAddressHolders { get; init; }

    public required string SelectToken { get; init; }

    /// <summary>(after, limit): a page of tokens by id.</summary>
    public required string SelectTokens { get; init; }

    public required string InsertToken { get; init; }

    /// <summary>(id, at): sets revoked_at of a token not revoked yet.</summary>
    public required string RevokeToken { get; init; }

    /// <summary>(owner, subnet, after, limit, tenant): a page of one owner's allocations after (subnet, after), by subnet id and address.</summary>
    public required string ListOwnerAllocations { get; init; }
}
