using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Subnets;

namespace Ipam.Storage;

/// <summary>The operations of one unit of work. Not thread-safe: one caller at a time.</summary>
public partial interface IIpamSession
{
    /// <summary>Runs <paramref name="action"/> once this unit's changes are durable.</summary>
    void OnCommitted(Action action);

    /// <summary>Runs <paramref name="action"/> if this unit's changes are undone.</summary>
    void OnRolledBack(Action action);

    ValueTask<Subnet?> FindSubnetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the subnet and holds it until the unit of work ends, so that a gateway or pool change checks the
    /// allocations against a subnet no concurrent allocation can use meanwhile. SQLite's single writer
    /// already serialises units of work; a store with concurrent transactions locks the row.
    /// </summary>
    ValueTask<Subnet?> LockSubnetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The subnet's current revision, or null when it does not exist; cheaper than loading it.</summary>
    ValueTask<long?> FindSubnetRevisionAsync(Guid id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(SubnetQuery query, CancellationToken cancellationToken);

    ValueTask InsertSubnetAsync(Subnet subnet, CancellationToken cancellationToken);

    /// <summary>Replaces the subnet's mutable fields and pools, storing <see cref="Subnet.Revision"/>.</summary>
    ValueTask UpdateSubnetAsync(Subnet subnet, CancellationToken cancellationToken);

    /// <summary>Deletes the subnet and, with it, its pools and allocations; false when it did not exist.</summary>
    ValueTask<bool> DeleteSubnetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the allocation unless the address is already allocated in that subnet (false then).
    /// Throws <see cref="Errors.SubnetNotFoundException"/> when the subnet no longer exists.
    /// </summary>
    ValueTask<bool> TryInsertAllocationAsync(Allocation allocation, CancellationToken cancellationToken);

    ValueTask<Allocation?> FindAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken);

    ValueTask<bool> DeleteAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Allocation>> ListAllocationsAsync(AllocationQuery query, CancellationToken cancellationToken);

    /// <summary>Every allocated address of the subnet, ascending; used to rebuild the free-space cache.</summary>
    ValueTask<IReadOnlyList<IpAddress>> ListAllocatedAddressesAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken);

    /// <summary>The number of allocations of the subnet inside <paramref name="range"/> (all when null).</summary>
    ValueTask<long> CountAllocationsAsync(Guid subnetId, AddressRange? range, CancellationToken cancellationToken);

    /// <summary>Deletes allocations whose reservation ended at or before <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<(Guid SubnetId, IpAddress Address)>> DeleteExpiredAllocationsAsync(
        DateTimeOffset now, Guid? subnetId, CancellationToken cancellationToken);

    ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(string key, CancellationToken cancellationToken);

    ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
