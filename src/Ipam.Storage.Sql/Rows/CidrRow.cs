namespace Ipam.Storage.Sql.Rows;

/// <summary>A CIDR as stored: its network's key and its prefix length (a subnet, or a pool's prefix).</summary>
internal sealed class CidrRow
{
    public byte[] Network { get; set; } = null!;

    public int PrefixLength { get; set; }

    public Cidr ToCidr(IpVersion version) => new(IpAddress.FromKey(version, Network), PrefixLength);
}
