namespace Ipam.Api.Tokens;

/// <summary>
/// Body of <c>POST /v1/tokens</c>. <c>role</c>: <c>admin</c>, <c>member</c> or <c>reader</c>; <c>tenant_id</c>: required
/// for members and readers, admins have none; <c>expires_at</c> (a time) or <c>expires_in</c> (a lifetime such as <c>90d</c>,
/// as <c>ipam token create --expires-in</c> takes it), not both.
/// </summary>
public sealed record CreateTokenBody(string? Role, string? TenantId = null, string? Name = null, DateTimeOffset? ExpiresAt = null, string? ExpiresIn = null);

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenDto(
    Guid Id, string? Name, string Role, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string CreatedBy);

/// <summary>A token just created, with <see cref="Token"/>, the text to present, shown this once.</summary>
public sealed record CreatedTokenDto(
    Guid Id, string? Name, string Role, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string CreatedBy, string Token);
