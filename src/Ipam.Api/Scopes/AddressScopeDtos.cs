namespace Ipam.Api.Scopes;

/// <summary>Body of <c>POST /v1/address-scopes</c>.</summary>
public sealed record CreateAddressScopeBody(string? Name, int? IpVersion, string? TenantId = null);

public sealed record AddressScopeDto(Guid Id, string Name, int IpVersion, string? TenantId, DateTimeOffset CreatedAt)
{
    /// <summary>A scope without a tenant is shared: every tenant reads it.</summary>
    public bool Shared => TenantId is null;
}
