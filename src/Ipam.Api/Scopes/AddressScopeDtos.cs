namespace Ipam.Api.Scopes;

/// <summary>Body of <c>POST /v1/address-scopes</c>.</summary>
public sealed class CreateAddressScopeBody
{
    public string? Name { get; set; }

    public int? IpVersion { get; set; }

    public string? TenantId { get; set; }
}

public sealed record AddressScopeDto(Guid Id, string Name, int IpVersion, string? TenantId, DateTimeOffset CreatedAt);
