namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <see cref="SqlText.CountAllocationsOfSubnets"/>.</summary>
internal sealed class SubnetUsageRow
{
    public object SubnetId { get; set; } = null!;

    public long Allocated { get; set; }

    public long InPools { get; set; }
}
