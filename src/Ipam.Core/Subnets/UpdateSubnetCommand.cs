namespace Ipam.Subnets;

/// <summary>Changes to a subnet; omitted fields stay as they are.</summary>
public sealed record UpdateSubnetCommand
{
    public Optional<string?> Name { get; init; }

    /// <summary>Null removes the gateway.</summary>
    public Optional<IpAddress?> Gateway { get; init; }

    /// <summary>The new pools, replacing all existing ones (an empty list removes them all); null, the default pools of the subnet's CIDR and gateway.</summary>
    public Optional<IReadOnlyList<AllocationPoolBounds>?> AllocationPools { get; init; }

    public int? ReuseCooldownSeconds { get; init; }
}
