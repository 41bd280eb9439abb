namespace Ipam.SubnetPools;

/// <summary>A new subnet pool as requested; omitted prefix lengths are derived as Neutron does.</summary>
public sealed record CreateSubnetPoolCommand
{
    public required string? Name { get; init; }

    public required IReadOnlyList<Cidr> Prefixes { get; init; }

    public int? DefaultPrefixLength { get; init; }

    public int? MinPrefixLength { get; init; }

    public int? MaxPrefixLength { get; init; }

    public long? DefaultQuota { get; init; }

    public Guid? AddressScopeId { get; init; }

    public string? TenantId { get; init; }
}
