namespace Ipam.Tokens;

/// <summary>What a new token is: its role, tenant (required for members and readers), name and expiry (a time, or a lifetime).</summary>
public sealed record CreateTokenCommand
{
    public required CallerRole Role { get; init; }

    public string? TenantId { get; init; }

    public string? Name { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The token's lifetime from its creation: another way to give <see cref="ExpiresAt"/>, never with it.</summary>
    public TimeSpan? ExpiresIn { get; init; }
}
