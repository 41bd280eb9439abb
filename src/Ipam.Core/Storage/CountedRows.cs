namespace Ipam.Storage;

/// <summary>The rows <see cref="IIpamSession.CountAsync"/> counts, each referring to one parent row.</summary>
public enum CountedRows
{
    /// <summary>The allocations of a subnet, optionally only those inside a range.</summary>
    SubnetAllocations,

    /// <summary>The subnets allocated from a subnet pool.</summary>
    PoolSubnets,

    /// <summary>The subnet pools that reference an address scope.</summary>
    ScopeSubnetPools,
}
