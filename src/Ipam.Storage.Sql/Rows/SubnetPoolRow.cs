namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>subnet_pools</c> as Dapper reads it (property names follow the column names).</summary>
internal sealed class SubnetPoolRow
{
    public object Id { get; set; } = null!;

    public string Name { get; set; } = null!;

    public int IpVersion { get; set; }

    public int DefaultPrefixlen { get; set; }

    public int MinPrefixlen { get; set; }

    public int MaxPrefixlen { get; set; }

    public long? DefaultQuota { get; set; }

    public object? AddressScopeId { get; set; }

    public string? TenantId { get; set; }

    public object CreatedAt { get; set; } = null!;

    public long Revision { get; set; }

    public long SubnetsVersion { get; set; }

    public IpVersion Version => (IpVersion)IpVersion;

    public SubnetPool ToPool(SqlDialect dialect, IReadOnlyList<Cidr> prefixes) => new()
    {
        Id = dialect.ReadId(Id),
        Name = Name,
        Version = Version,
        DefaultPrefixLength = DefaultPrefixlen,
        MinPrefixLength = MinPrefixlen,
        MaxPrefixLength = MaxPrefixlen,
        DefaultQuota = DefaultQuota,
        AddressScopeId = AddressScopeId is null ? null : dialect.ReadId(AddressScopeId),
        TenantId = TenantId,
        CreatedAt = dialect.ReadTime(CreatedAt),
        Revision = Revision,
        SubnetsVersion = SubnetsVersion,
        Prefixes = prefixes,
    };
}
