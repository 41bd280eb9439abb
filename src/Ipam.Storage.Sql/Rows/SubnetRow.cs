namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>subnets</c> as Dapper reads it.</summary>
internal sealed class SubnetRow
{
    public object Id { get; set; } = null!;

    public int IpVersion { get; set; }

    public byte[] Network { get; set; } = null!;

    public int PrefixLength { get; set; }

    public byte[]? Gateway { get; set; }

    public string? Ipv6AddressMode { get; set; }

    public string? Name { get; set; }

    public string? TenantId { get; set; }

    public object? SubnetPoolId { get; set; }

    public object CreatedAt { get; set; } = null!;

    public long Revision { get; set; }

    public int ReuseCooldownSeconds { get; set; }

    public IpVersion Version => (IpVersion)IpVersion;

    public Subnet ToSubnet(SqlDialect dialect, IReadOnlyList<AddressRange> pools)
    {
        var id = dialect.ReadId(Id);
        Ipv6AddressMode? mode = Ipv6AddressMode is null ? null
            : Ipv6AddressModes.TryParse(Ipv6AddressMode, out var parsed) ? parsed
            : throw new InvalidDataException($"Unknown ipv6_address_mode in subnet {id}.");
        return new Subnet
        {
            Id = id,
            Cidr = new Cidr(IpAddress.FromKey(Version, Network), PrefixLength),
            Gateway = Gateway is null ? null : IpAddress.FromKey(Version, Gateway),
            Ipv6AddressMode = mode,
            Name = Name,
            TenantId = TenantId,
            SubnetPoolId = SubnetPoolId is null ? null : dialect.ReadId(SubnetPoolId),
            CreatedAt = dialect.ReadTime(CreatedAt),
            Revision = Revision,
            ReuseCooldownSeconds = ReuseCooldownSeconds,
            AllocationPools = pools,
        };
    }
}
