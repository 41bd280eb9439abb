namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>allocations</c> as Dapper reads it.</summary>
internal sealed class AllocationRow
{
    public const string Table = "allocations";

    /// <summary>The address key; any stored value, so that one the service never writes is named, not a cast failure.</summary>
    public object Ip { get; set; } = null!;

    public string? Owner { get; set; }

    public string? Description { get; set; }

    public object CreatedAt { get; set; } = null!;

    public object? ExpiresAt { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>The subnet's id, where the statement returns it (rows of several subnets).</summary>
    public object? SubnetId { get; set; }

    /// <summary>The subnet's IP version, where the statement joins it.</summary>
    public int IpVersion { get; set; }

    /// <exception cref="UnreadableRowException">The row holds a value the service never writes.</exception>
    public Allocation ToAllocation(SqlDialect dialect, Guid subnetId, IpVersion version)
    {
        try
        {
            return new()
            {
                SubnetId = subnetId,
                Address = StoredValues.Address(Ip, version, "ip"),
                Owner = Owner,
                Description = Description,
                CreatedAt = StoredValues.Time(dialect, CreatedAt, "created_at"),
                ExpiresAt = ExpiresAt is null ? null : StoredValues.Time(dialect, ExpiresAt, "expires_at"),
                CreatedBy = CreatedBy,
            };
        }
        catch (StoredValueException e)
        {
            throw e.Of(Table, KeyOf(subnetId, Ip));
        }
    }

    /// <summary>A row of a statement over several subnets, which returns each row's subnet_id and ip_version.</summary>
    public Allocation ToAllocation(SqlDialect dialect) => ToAllocation(dialect, dialect.ReadId(SubnetId!), (IpVersion)IpVersion);

    /// <summary>The primary key of an allocation row as a problem names it.</summary>
    public static string KeyOf(Guid subnetId, object? ip) => $"(subnet_id {subnetId}, ip {StoredValues.Describe(ip)})";
}
