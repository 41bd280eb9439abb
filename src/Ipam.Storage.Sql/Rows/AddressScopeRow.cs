namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>address_scopes</c> as Dapper reads it.</summary>
internal sealed class AddressScopeRow
{
    public object Id { get; set; } = null!;

    public string Name { get; set; } = null!;

    public int IpVersion { get; set; }

    public string? TenantId { get; set; }

    public object CreatedAt { get; set; } = null!;

    public AddressScope ToScope(SqlDialect dialect) => new()
    {
        Id = dialect.ReadId(Id),
        Name = Name,
        Version = (IpVersion)IpVersion,
        TenantId = TenantId,
        CreatedAt = dialect.ReadTime(CreatedAt),
    };
}
