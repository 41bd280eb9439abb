using System.Numerics;

namespace Ipam.Maps;

/// <summary>
/// The address map of a subnet: a part of it split into aligned blocks counted from the cached free-space index
/// (never by enumerating addresses, so an IPv6 /64 costs what an IPv4 /24 does), or, for a small part, every
/// address with its state. A caller limited to a tenant sees only its tenant's subnets.
/// </summary>
public sealed class AddressMapService
{
    private readonly IIpamStore store;
    private readonly FreeSpaceCache cache;
    private readonly CallerAccess access;

    /// <summary>Called by <c>AddIpam</c>, which supplies the free-space cache the allocation service shares.</summary>
    internal AddressMapService(IIpamStore store, FreeSpaceCache cache, ICallerContext caller) =>
        (this.store, this.cache, access) = (store, cache, new CallerAccess(caller));

    /// <summary>
    /// The map; <see cref="ValidationException"/> (<c>invalid-request</c>) naming <c>blocks</c> or <c>within</c> when the
    /// block count is not a power of two up to <see cref="AddressMapQuery.MaxBlocks"/> or the CIDR is not inside the subnet.
    /// </summary>
    public Task<AddressMap> GetAsync(AddressMapQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Blocks is < 1 or > AddressMapQuery.MaxBlocks || !BitOperations.IsPow2(query.Blocks))
        {
            throw ValidationException.InvalidRequest("blocks",
                $"blocks must be a power of two from 1 to {AddressMapQuery.MaxBlocks}, not {query.Blocks}.");
        }

        var arrival = cache.Ticket();
        return store.ReadAsync(async (session, ct) =>
        {
            var subnet = access.Visible(await session.FindSubnetAsync(query.SubnetId, RowLock.None, ct).ConfigureAwait(false), query.SubnetId);
            var within = query.Within ?? subnet.Cidr;
            if (within.Version != subnet.Version || !subnet.Cidr.Contains(within.Range))
            {
                throw ValidationException.InvalidRequest("within", $"within must be a CIDR inside the subnet {subnet.Cidr}, not {within}.");
            }

            if (within.HostBits <= BitOperations.Log2(AddressMapQuery.MaxCells))
            {
                return new AddressMap(subnet, within, null, await AddressMapCells.ListAsync(session, subnet, within, ct).ConfigureAwait(false));
            }

            var space = await cache.GetCurrentAsync(session, subnet, arrival, ct).ConfigureAwait(false);
            var blocks = await AddressMapBlocks.CountAsync(session, space, subnet, within, query.Blocks, ct).ConfigureAwait(false);
            return new AddressMap(subnet, within, blocks, null);
        }, cancellationToken);
    }

    /// <summary>The subnet's allocations in <paramref name="range"/>, ascending, read a page at a time through the address index.</summary>
    internal static async ValueTask<List<Allocation>> ListAllocationsInAsync(
        IIpamSession session, Guid subnetId, AddressRange range, CancellationToken cancellationToken)
    {
        // A range smaller than a page holds fewer allocations than a page: rows after it are not fetched to be thrown away.
        var pageSize = range.Last.Value - range.First.Value < 1000 ? (int)(range.Last.Value - range.First.Value) + 1 : 1000;
        var found = new List<Allocation>();
        IpAddress? after = range.First.Value == 0 ? null : new IpAddress(range.Version, range.First.Value - 1);
        while (true)
        {
            var page = await session.ListAllocationsAsync(new AllocationQuery { SubnetId = subnetId, After = after, Limit = pageSize }, cancellationToken)
                .ConfigureAwait(false);
            foreach (var allocation in page)
            {
                if (allocation.Address > range.Last)
                {
                    return found;
                }

                found.Add(allocation);
            }

            if (page.Count < pageSize)
            {
                return found;
            }

            after = page[^1].Address;
        }
    }
}
