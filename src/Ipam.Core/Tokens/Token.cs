namespace Ipam.Tokens;

/// <summary>
/// An API token: who may call the service, with which role, in which tenant, until when. The secret itself is
/// never kept; <see cref="SecretHash"/> is its SHA-256 (see <see cref="TokenSecret"/>).
/// </summary>
public sealed record Token
{
    public required Guid Id { get; init; }

    public string? Name { get; init; }

    public required CallerRole Role { get; init; }

    /// <summary>The tenant the token acts in; null only for admin tokens, which see every tenant.</summary>
    public string? TenantId { get; init; }

    public required ReadOnlyMemory<byte> SecretHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The actor that created the token: an admin token's id, or <see cref="Actors.Anonymous"/> offline.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Whether the token may be used at <paramref name="now"/>: not revoked and not expired.</summary>
    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || now < expires);

    public bool Equals(Token? other) =>
        other is not null && Id == other.Id && Name == other.Name && Role == other.Role && TenantId == other.TenantId &&
        SecretHash.Span.SequenceEqual(other.SecretHash.Span) && CreatedAt == other.CreatedAt && ExpiresAt == other.ExpiresAt &&
        RevokedAt == other.RevokedAt && CreatedBy == other.CreatedBy;

    public override int GetHashCode() => Id.GetHashCode();
}
