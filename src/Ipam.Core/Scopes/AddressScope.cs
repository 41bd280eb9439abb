namespace Ipam.Scopes;

/// <summary>
/// A routing domain of one IP version: the subnet pools that reference it may not overlap each other, so
/// subnets allocated from them never overlap either.
/// </summary>
public sealed record AddressScope
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required IpVersion Version { get; init; }

    public string? TenantId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
