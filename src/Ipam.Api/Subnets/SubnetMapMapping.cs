using Ipam.Maps;

namespace Ipam.Api.Subnets;

internal static class SubnetMapMapping
{
    public static SubnetMapDto ToDto(this AddressMap map) => new(
        map.Subnet.Id,
        map.Subnet.Cidr.ToString(),
        map.Within.ToString(),
        map.Blocks?.FirstOrDefault()?.Cidr.PrefixLength,
        map.Blocks?.Select(b => new MapBlockDto(b.Cidr.ToString(), b.Total, b.InPools, b.Allocated, b.Free)).ToList(),
        map.Cells?.Select(ToDto).ToList());

    private static MapCellDto ToDto(AddressCell cell) => new(
        cell.Address.ToString(),
        ToWire(cell.State),
        cell.Allocation?.Owner,
        cell.Allocation?.Description,
        cell.Allocation?.CreatedAt,
        cell.Allocation?.ExpiresAt);

    public static string ToWire(AddressState state) => state switch
    {
        AddressState.Allocated => "allocated",
        AddressState.Free => "free",
        AddressState.Gateway => "gateway",
        AddressState.Network => "network",
        AddressState.Broadcast => "broadcast",
        _ => "outside-pools",
    };
}
