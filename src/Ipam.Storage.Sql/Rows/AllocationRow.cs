namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>allocations</c> as Dapper reads it.</summary>
internal sealed class AllocationRow
{
    public byte[] Ip { get; set; } = null!;

    public string? Owner { get; set; }

    public string? Description { get; set; }

    public object CreatedAt { get; set; } = null!;

    public object? ExpiresAt { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>The subnet's id, where the statement returns it (rows of several subnets).</summary>
    public object? SubnetId { get; set; }

    /// <summary>The subnet's IP version, where the statement joins it.</summary>
    public int IpVersion { get; set; }

    public Allocation ToAllocation(SqlDialect dialect, Guid subnetId, IpVersion version) => new()
    {
        SubnetId = subnetId,
        Address = IpAddress.FromKey(version, Ip),
        Owner = Owner,
        Description = Description,
        CreatedAt = dialect.ReadTime(CreatedAt),
        ExpiresAt = ExpiresAt is null ? null : dialect.ReadTime(ExpiresAt),
        CreatedBy = CreatedBy,
    };

    /// <summary>A row of a statement over several subnets, which returns each row's subnet_id and ip_version.</summary>
    public Allocation ToAllocation(SqlDialect dialect) => ToAllocation(dialect, dialect.ReadId(SubnetId!), (IpVersion)IpVersion);
}
