using Ipam.Addressing;

namespace Ipam.Storage;

/// <summary>A page of subnets ordered by id, optionally filtered.</summary>
public sealed record SubnetQuery
{
    public Guid? SubnetPoolId { get; init; }

    public string? TenantId { get; init; }

    public IpVersion? IpVersion { get; init; }

    /// <summary>Return subnets whose id sorts after this one.</summary>
    public Guid? After { get; init; }

    public int Limit { get; init; } = 100;
}
