namespace Ipam.Maps;

/// <summary>Every address of a small part of a subnet with its state, from one indexed read of the allocations there.</summary>
internal static class AddressMapCells
{
    public static async ValueTask<IReadOnlyList<AddressCell>> ListAsync(IIpamSession session, Subnet subnet, Cidr within, CancellationToken cancellationToken)
    {
        var allocations = (await AddressMapService.ListAllocationsInAsync(session, subnet.Id, within.Range, cancellationToken).ConfigureAwait(false))
            .ToDictionary(a => a.Address);
        var hosts = SubnetRules.UsableRange(subnet.Cidr);
        var cells = new AddressCell[(int)within.Range.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            var address = within.First.Add((UInt128)i);
            cells[i] = allocations.TryGetValue(address, out var allocation)
                ? new AddressCell(address, AddressState.Allocated, allocation)
                : new AddressCell(address, StateOf(subnet, hosts, address), null);
        }

        return cells;
    }

    private static AddressState StateOf(Subnet subnet, AddressRange hosts, IpAddress address) =>
        address < hosts.First ? AddressState.Network
        : address > hosts.Last ? AddressState.Broadcast
        : address == subnet.Gateway ? AddressState.Gateway
        : subnet.PoolSet.Contains(address) ? AddressState.Free
        : AddressState.OutsidePools;
}
