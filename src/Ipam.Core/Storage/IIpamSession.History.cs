using Ipam.History;

namespace Ipam.Storage;

/// <summary>Who held an address, when: the allocations of the subnets that contain it, and the ends the change log recorded.</summary>
public partial interface IIpamSession
{
    /// <summary>
    /// The ended allocations of one address in one subnet, newest first: up to <paramref name="limit"/> allocation
    /// ends (released or expired) logged before position <paramref name="before"/>, of the subnet as it exists now:
    /// logged after the last delete of its id, so that a subnet created under the id of a deleted one (ids can be
    /// chosen by callers, of any tenant) shows none of that one's.
    /// </summary>
    ValueTask<IReadOnlyList<Change>> ListAllocationEndsAsync(
        Guid subnetId, IpAddress address, long before, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the ended allocations of an address, in any subnet (deleted ones included), that held it at
    /// <see cref="AddressHoldersQuery.At"/> (which must be set): made at or before it and ended after it, in
    /// <see cref="HolderKey"/> order after the query's key; only those of subnets of its tenant when it is set.
    /// </summary>
    ValueTask<IReadOnlyList<Change>> ListAllocationEndsSpanningAsync(AddressHoldersQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the current allocations of an address in the subnets that contain it, by subnet id after the query's
    /// key; made at or before <see cref="AddressHoldersQuery.At"/> when it is set; only in subnets of its tenant when it is set.
    /// </summary>
    ValueTask<IReadOnlyList<AllocationPeriod>> ListAddressHoldersAsync(AddressHoldersQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// A page of one owner's allocations across subnets, by subnet id and address. Like usage, it follows the change log:
    /// an allocation is found by its owner once the unit that inserted it has recorded its creation, as the services always
    /// do (a store may read owners from the log instead of indexing every row).
    /// </summary>
    ValueTask<IReadOnlyList<Allocation>> ListOwnerAllocationsAsync(OwnerAllocationQuery query, CancellationToken cancellationToken);
}
