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
    /// The ended allocations of an address, in any subnet (deleted ones included), that held it at <paramref name="time"/>:
    /// made at or before it and ended after it, in log order; only those of subnets of <paramref name="tenantId"/> when it is set.
    /// </summary>
    ValueTask<IReadOnlyList<Change>> ListAllocationEndsSpanningAsync(
        IpAddress address, DateTimeOffset time, string? tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// The current allocations of an address in every subnet that contains it, by subnet id; only in subnets of
    /// <paramref name="tenantId"/> when it is set.
    /// </summary>
    ValueTask<IReadOnlyList<AllocationPeriod>> ListAddressHoldersAsync(IpAddress address, string? tenantId, CancellationToken cancellationToken);

    /// <summary>A page of one owner's allocations across subnets, by subnet id and address.</summary>
    ValueTask<IReadOnlyList<Allocation>> ListOwnerAllocationsAsync(OwnerAllocationQuery query, CancellationToken cancellationToken);
}
