namespace Ipam.Storage.Sql.Rows;

/// <summary>How many subnets of one prefix length a tenant holds in a pool.</summary>
internal sealed class PrefixLengthCount
{
    public int PrefixLength { get; set; }

    public long Count { get; set; }
}
