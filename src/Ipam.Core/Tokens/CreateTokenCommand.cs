namespace Ipam.Tokens;

/// <summary>What a new token is: its role, tenant (required for members and readers), name and expiry.</summary>
public sealed record CreateTokenCommand
{
    public required CallerRole Role { get; init; }

    public string? TenantId { get; init; }

    public string? Name { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
