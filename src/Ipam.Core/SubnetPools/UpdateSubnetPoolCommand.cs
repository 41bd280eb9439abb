namespace Ipam.SubnetPools;

/// <summary>
/// Changes to a subnet pool; absent fields stay unchanged. The new prefixes are
/// (<see cref="Prefixes"/> or the current ones) ∪ <see cref="AddPrefixes"/> − <see cref="RemovePrefixes"/>,
/// and must still cover every subnet allocated from the pool.
/// </summary>
public sealed record UpdateSubnetPoolCommand
{
    public Optional<string?> Name { get; init; }

    /// <summary>The full new prefix list, replacing the current one.</summary>
    public IReadOnlyList<Cidr>? Prefixes { get; init; }

    public IReadOnlyList<Cidr>? AddPrefixes { get; init; }

    public IReadOnlyList<Cidr>? RemovePrefixes { get; init; }

    public int? DefaultPrefixLength { get; init; }

    public int? MinPrefixLength { get; init; }

    public int? MaxPrefixLength { get; init; }

    /// <summary>A new quota, or null to remove it.</summary>
    public Optional<long?> DefaultQuota { get; init; }

    /// <summary>A new address scope, or null to leave the scope.</summary>
    public Optional<Guid?> AddressScopeId { get; init; }
}
