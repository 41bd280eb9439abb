namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>changes</c> as Dapper reads it; a replay reads only seq, type, at and ip_address.</summary>
internal sealed class ChangeRow
{
    public long Seq { get; set; }

    public object At { get; set; } = null!;

    public string Type { get; set; } = null!;

    public string? Actor { get; set; }

    public string? TenantId { get; set; }

    public object? SubnetId { get; set; }

    public object? ResourceId { get; set; }

    public string? IpAddress { get; set; }

    public string? Cidr { get; set; }

    public string? Reason { get; set; }

    public object? HeldSince { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    /// <summary>The change as the API shows it: an allocation's snapshot, stored short, whole again.</summary>
    public Change ToChange(SqlDialect dialect) => StoredSnapshots.Expand(new()
    {
        Sequence = Seq,
        Type = Type,
        At = dialect.ReadTime(At),
        Actor = Actor ?? "",
        TenantId = TenantId,
        SubnetId = SubnetId is null ? null : dialect.ReadId(SubnetId),
        ResourceId = ResourceId is null ? null : dialect.ReadId(ResourceId),
        Address = IpAddress is null ? null : Addressing.IpAddress.Parse(IpAddress),
        Cidr = Cidr is null ? null : Addressing.Cidr.Parse(Cidr, null),
        Reason = Reason,
        HeldSince = HeldSince is null ? null : dialect.ReadTime(HeldSince),
        Before = Before,
        After = After,
    });
}
