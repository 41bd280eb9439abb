namespace Ipam.Storage;

/// <summary>A page of subnet pools ordered by id, optionally filtered.</summary>
public sealed record SubnetPoolQuery : KeysetQuery<Guid>
{
    public Guid? AddressScopeId { get; init; }

    public string? TenantId { get; init; }

    /// <summary>Only the pools this tenant sees, when set: its own and the shared ones (without a tenant).</summary>
    public string? VisibleTo { get; init; }

    public IpVersion? IpVersion { get; init; }
}
