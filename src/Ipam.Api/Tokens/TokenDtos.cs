namespace Ipam.Api.Tokens;

/// <summary>Body of <c>POST /v1/tokens</c>.</summary>
public sealed class CreateTokenBody
{
    /// <summary><c>admin</c>, <c>member</c> or <c>reader</c>.</summary>
    public string? Role { get; set; }

    /// <summary>Required for members and readers; admins have none.</summary>
    public string? TenantId { get; set; }

    public string? Name { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenDto(
    Guid Id, string? Name, string Role, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string CreatedBy);

/// <summary>A token just created, with <see cref="Token"/>, the text to present, shown this once.</summary>
public sealed record CreatedTokenDto(
    Guid Id, string? Name, string Role, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string CreatedBy, string Token);
