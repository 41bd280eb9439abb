namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <see cref="SqlText.SelectUsageMismatches"/>.</summary>
internal sealed class UsageMismatchRow
{
    public object SubnetId { get; set; } = null!;

    public long? Allocated { get; set; }

    public long? InPools { get; set; }

    public long CountedAllocated { get; set; }

    public long CountedInPools { get; set; }

    public UsageMismatch ToMismatch(SqlDialect dialect) =>
        new(dialect.ReadId(SubnetId), new UsageCount(CountedAllocated, CountedInPools), Allocated is { } a && InPools is { } p ? new UsageCount(a, p) : null);
}
