using Ipam.Addressing;

namespace Ipam.Storage;

/// <summary>A page of subnet pools ordered by id, optionally filtered.</summary>
public sealed record SubnetPoolQuery
{
    public Guid? AddressScopeId { get; init; }

    public string? TenantId { get; init; }

    public IpVersion? IpVersion { get; init; }

    /// <summary>Return pools whose id sorts after this one.</summary>
    public Guid? After { get; init; }

    public int Limit { get; init; } = 100;
}
