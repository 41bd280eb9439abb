namespace Ipam.Storage.Sql.Rows;

/// <summary>A prefix of a subnet pool in an address scope.</summary>
internal sealed class ScopePrefixRow
{
    public object SubnetPoolId { get; set; } = null!;

    public byte[] Network { get; set; } = null!;

    public int PrefixLength { get; set; }

    public (Guid SubnetPoolId, Cidr Prefix) ToPrefix(SqlDialect dialect, IpVersion version) =>
        (dialect.ReadId(SubnetPoolId), new Cidr(IpAddress.FromKey(version, Network), PrefixLength));
}
