namespace Ipam.Subnets;

/// <summary>
/// A new subnet: from a <see cref="Cidr"/>, or allocated from the subnet pool <see cref="SubnetPoolId"/> (the
/// best-fit free prefix of <see cref="PrefixLength"/>, by default the pool's default length; or, when
/// <see cref="Cidr"/> is given too, that specific prefix of the pool).
/// </summary>
public sealed record CreateSubnetCommand
{
    /// <summary>The id the caller chose (an integration keeping its own ids); null: Ipam chooses one.</summary>
    public Guid? Id { get; init; }

    public Cidr? Cidr { get; init; }

    public Guid? SubnetPoolId { get; init; }

    public int? PrefixLength { get; init; }

    /// <summary>Omitted: the first host address (none on point-to-point prefixes). Null: no gateway.</summary>
    public Optional<IpAddress?> Gateway { get; init; }

    /// <summary>Null: the default pools derived from the CIDR and gateway.</summary>
    public IReadOnlyList<AllocationPoolBounds>? AllocationPools { get; init; }

    public Ipv6AddressMode? Ipv6AddressMode { get; init; }

    public string? Name { get; init; }

    public string? TenantId { get; init; }

    /// <summary>Seconds a released address stays out of automatic picks (0 to <see cref="ReuseCooldown.MaxSeconds"/>).</summary>
    public int ReuseCooldownSeconds { get; init; }
}
