namespace Ipam.Storage;

/// <summary>What <see cref="IIpamSession.CountAsync"/> counts: the rows of one kind that refer to one parent row.</summary>
public readonly record struct RowCount
{
    private RowCount(CountedRows rows, Guid parentId, AddressRange? range)
    {
        Rows = rows;
        ParentId = parentId;
        Range = range;
    }

    public CountedRows Rows { get; }

    public Guid ParentId { get; }

    /// <summary>For allocations: only those inside this range (all when null).</summary>
    public AddressRange? Range { get; }

    public static RowCount AllocationsOf(Guid subnetId, AddressRange? range = null) => new(CountedRows.SubnetAllocations, subnetId, range);

    public static RowCount SubnetsOf(Guid subnetPoolId) => new(CountedRows.PoolSubnets, subnetPoolId, null);

    public static RowCount SubnetPoolsOf(Guid addressScopeId) => new(CountedRows.ScopeSubnetPools, addressScopeId, null);
}
