using Ipam.Addressing;

namespace Ipam.Subnets;

public sealed record CreateSubnetCommand
{
    public required Cidr Cidr { get; init; }

    /// <summary>Omitted: the first host address (none on point-to-point prefixes). Null: no gateway.</summary>
    public Optional<IpAddress?> Gateway { get; init; }

    /// <summary>Null: the default pools derived from the CIDR and gateway.</summary>
    public IReadOnlyList<PoolBounds>? AllocationPools { get; init; }

    public Ipv6AddressMode? Ipv6AddressMode { get; init; }

    public string? Name { get; init; }

    public string? TenantId { get; init; }
}
