namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>tokens</c> as Dapper reads it.</summary>
internal sealed class TokenRow
{
    public object Id { get; set; } = null!;

    public string? Name { get; set; }

    public string Role { get; set; } = null!;

    public string? TenantId { get; set; }

    public byte[] SecretHash { get; set; } = null!;

    public object CreatedAt { get; set; } = null!;

    public object? ExpiresAt { get; set; }

    public object? RevokedAt { get; set; }

    public string CreatedBy { get; set; } = null!;

    public Token ToToken(SqlDialect dialect) => new()
    {
        Id = dialect.ReadId(Id),
        Name = Name,
        Role = CallerRoles.TryParse(Role, out var role) ? role.Value : throw new InvalidOperationException($"Unknown role '{Role}' in tokens."),
        TenantId = TenantId,
        SecretHash = SecretHash,
        CreatedAt = dialect.ReadTime(CreatedAt),
        ExpiresAt = ExpiresAt is null ? null : dialect.ReadTime(ExpiresAt),
        RevokedAt = RevokedAt is null ? null : dialect.ReadTime(RevokedAt),
        CreatedBy = CreatedBy,
    };
}
