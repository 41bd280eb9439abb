using Ipam.Addressing;

namespace Ipam.Storage.Sql.Rows;

/// <summary>An allocation deleted because its reservation ran out.</summary>
internal sealed class ReleasedRow
{
    public object SubnetId { get; set; } = null!;

    public byte[] Ip { get; set; } = null!;

    public int IpVersion { get; set; }

    public (Guid SubnetId, IpAddress Address) ToReleased(ISqlDialect dialect) =>
        (dialect.ReadId(SubnetId), IpAddress.FromKey((IpVersion)IpVersion, Ip));
}
