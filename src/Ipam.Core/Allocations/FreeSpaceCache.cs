using System.Diagnostics.CodeAnalysis;
using Ipam.Addressing;
using Ipam.Caching;
using Ipam.Storage;
using Ipam.Subnets;

namespace Ipam.Allocations;

/// <summary>
/// Free-space indexes per subnet, rebuilt from the database whenever they are missing or were built for an
/// older subnet revision. Entries are dropped, never patched, when a transaction that touched them rolls
/// back, so the cache can only be stale in the safe direction: an address it believes free may be taken
/// (the database's primary key refuses the duplicate and the allocator picks again).
/// </summary>
internal sealed class FreeSpaceCache() : SessionRevisionCache<Subnet, FreeSpace>(BuildAsync)
{
    /// <summary>
    /// The subnet at <paramref name="revision"/> if its index is cached, which saves loading the subnet row
    /// and its pools on every allocation.
    /// </summary>
    public bool TryGetSubnet(Guid subnetId, long revision, [NotNullWhen(true)] out Subnet? subnet)
    {
        subnet = Entries.TryGet(subnetId, revision, out var entry) ? entry.Subnet : null;
        return subnet is not null;
    }

    /// <summary>Returns released addresses to a cached index, if one is cached.</summary>
    public void Released(Guid subnetId, IEnumerable<IpAddress> addresses)
    {
        if (!Entries.TryGetAny(subnetId, out var entry))
        {
            return;
        }

        lock (entry.Gate)
        {
            foreach (var address in addresses)
            {
                entry.Index.Add(address);
            }
        }
    }

    /// <summary>Takes an address allocated outside the index (a specific request) out of a cached index.</summary>
    public void Allocated(Subnet subnet, IpAddress address)
    {
        if (Entries.TryGet(subnet.Id, subnet.Revision, out var entry))
        {
            lock (entry.Gate)
            {
                entry.Index.Remove(address);
            }
        }
    }

    private static async ValueTask<FreeSpace> BuildAsync((IIpamSession Session, Subnet Subnet) state, CancellationToken cancellationToken)
    {
        var (session, subnet) = state;
        var allocated = await session.ListAllocatedAddressesAsync(subnet.Id, subnet.Version, cancellationToken).ConfigureAwait(false);
        return new FreeSpace(subnet, new FreeRangeIndex(subnet.PoolSet, allocated));
    }
}
