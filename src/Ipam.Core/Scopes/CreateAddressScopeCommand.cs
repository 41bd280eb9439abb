namespace Ipam.Scopes;

public sealed record CreateAddressScopeCommand
{
    public required string Name { get; init; }

    public required IpVersion Version { get; init; }

    public string? TenantId { get; init; }
}
