namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>allocation_pools</c>: an address range.</summary>
internal sealed class RangeRow
{
    public byte[] FirstIp { get; set; } = null!;

    public byte[] LastIp { get; set; } = null!;

    public AddressRange ToRange(IpVersion version) => new(IpAddress.FromKey(version, FirstIp), IpAddress.FromKey(version, LastIp));
}
