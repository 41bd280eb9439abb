namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>subnets</c> as Dapper reads it.</summary>
internal sealed class SubnetRow
{
    public const string Table = "subnets";

    public object Id { get; set; } = null!;

    public int IpVersion { get; set; }

    /// <summary>The network's key; any stored value, as <see cref="AllocationRow.Ip"/> (and <see cref="Gateway"/>).</summary>
    public object Network { get; set; } = null!;

    public int PrefixLength { get; set; }

    public object? Gateway { get; set; }

    public string? Ipv6AddressMode { get; set; }

    public string? Name { get; set; }

    public string? TenantId { get; set; }

    public object? SubnetPoolId { get; set; }

    public object CreatedAt { get; set; } = null!;

    public long Revision { get; set; }

    public int ReuseCooldownSeconds { get; set; }

    public IpVersion Version => (IpVersion)IpVersion;

    /// <summary>The row's id, as <see cref="ToSubnet"/> reads it.</summary>
    /// <exception cref="UnreadableRowException">The id is not one.</exception>
    public Guid ReadId(SqlDialect dialect)
    {
        try
        {
            return StoredValues.Id(dialect, Id, "id");
        }
        catch (StoredValueException e)
        {
            throw e.Of(Table, $"(id {StoredValues.Describe(Id)})");
        }
    }

    /// <exception cref="UnreadableRowException">The row holds a value the service never writes.</exception>
    public Subnet ToSubnet(SqlDialect dialect, IReadOnlyList<AddressRange> pools)
    {
        var id = ReadId(dialect);
        try
        {
            Ipv6AddressMode? mode = Ipv6AddressMode is null ? null
                : Ipv6AddressModes.TryParse(Ipv6AddressMode, out var parsed) ? parsed
                : throw new StoredValueException("ipv6_address_mode", $"holds {StoredValues.Describe(Ipv6AddressMode)}, no address mode");
            return new Subnet
            {
                Id = id,
                Cidr = StoredValues.Cidr(Network, PrefixLength, Version),
                Gateway = Gateway is null ? null : StoredValues.Address(Gateway, Version, "gateway"),
                Ipv6AddressMode = mode,
                Name = Name,
                TenantId = TenantId,
                SubnetPoolId = SubnetPoolId is null ? null : StoredValues.Id(dialect, SubnetPoolId, "subnet_pool_id"),
                CreatedAt = StoredValues.Time(dialect, CreatedAt, "created_at"),
                Revision = Revision,
                ReuseCooldownSeconds = ReuseCooldownSeconds,
                AllocationPools = pools,
            };
        }
        catch (StoredValueException e)
        {
            throw e.Of(Table, $"(id {id})");
        }
    }
}
