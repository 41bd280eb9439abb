namespace Ipam.Storage;

/// <summary>A page of address scopes ordered by id, optionally filtered.</summary>
public sealed record AddressScopeQuery : KeysetQuery<Guid>
{
    public IpVersion? IpVersion { get; init; }

    /// <summary>Only this tenant's scopes, when set (not the shared ones).</summary>
    public string? TenantId { get; init; }

    /// <summary>Only the scopes this tenant sees, when set: its own and the shared ones (without a tenant).</summary>
    public string? VisibleTo { get; init; }
}
