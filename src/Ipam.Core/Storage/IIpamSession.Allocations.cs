namespace Ipam.Storage;

/// <summary>The addresses allocated in subnets.</summary>
public partial interface IIpamSession
{
    ValueTask<Allocation?> FindAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken);

    /// <summary>A page of a subnet's allocations in address order; by owner, as <see cref="ListOwnerAllocationsAsync"/> finds them.</summary>
    ValueTask<IReadOnlyList<Allocation>> ListAllocationsAsync(AllocationQuery query, CancellationToken cancellationToken);

    /// <summary>Every allocated address of the subnet, ascending; used to rebuild the free-space cache.</summary>
    ValueTask<IReadOnlyList<IpAddress>> ListAllocatedAddressesAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the allocation unless the address is already allocated in that subnet (false then).
    /// Throws <see cref="Errors.SubnetNotFoundException"/> when the subnet no longer exists.
    /// </summary>
    ValueTask<bool> TryInsertAllocationAsync(Allocation allocation, CancellationToken cancellationToken);

    /// <summary>
    /// The insert of <paramref name="allocation"/> as <see cref="TryInsertAllocationAtRevisionAsync"/> makes it (or,
    /// without <paramref name="subnetRevision"/>, as <see cref="TryInsertAllocationAsync"/>), never held back; then, by
    /// a statement that starts once the insert is done (so it sees a release that committed while the insert waited
    /// for the row), whether the change log holds an end of an allocation of the address in the subnet later than
    /// the allocation's <see cref="Allocation.CreatedAt"/>. Sent together where the database takes both in one round
    /// trip. <c>EndedLater</c> is false unless the row was inserted.
    /// </summary>
    ValueTask<(AllocationInsert Outcome, bool EndedLater)> TryInsertAllocationThenAskEndedLaterAsync(
        Allocation allocation, long? subnetRevision, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="FindSubnetRevisionAsync"/> (which share-locks the subnet), then, if the subnet exists,
    /// <see cref="DeleteAllocationAsync"/>; sent together where the database takes both in one round trip.
    /// </summary>
    ValueTask<(long? Revision, Allocation? Deleted)> FindSubnetRevisionThenDeleteAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryInsertAllocationThenAskEndedLaterAsync"/> for a request under <paramref name="key"/>, sent with the
    /// look-up of the key's record where the database takes all three in one round trip. When the key has a record it
    /// is returned and nothing is inserted (the outcome is then <see cref="AllocationInsert.AddressTaken"/>, or
    /// <see cref="AllocationInsert.SubnetChanged"/> when the subnet is no longer at <paramref name="subnetRevision"/>).
    /// </summary>
    ValueTask<(AllocationInsert Outcome, bool EndedLater, IdempotencyRecord? Record)> TryInsertAllocationUnlessKeyedThenAskEndedLaterAsync(
        Allocation allocation, long? subnetRevision, string actor, string key, CancellationToken cancellationToken);

    /// <summary>Sets the time the allocation of <paramref name="address"/> in the subnet was made.</summary>
    ValueTask RedateAllocationAsync(Guid subnetId, IpAddress address, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the allocation only if its subnet is still at <paramref name="subnetRevision"/>, in one statement:
    /// an allocation chosen from a cached subnet checks the revision with its insert instead of reading it first.
    /// Holds the subnet as <see cref="FindSubnetRevisionAsync"/> does when it is at that revision (whether the
    /// address was free or not), so a concurrent pool or gateway change waits for this unit or this insert sees
    /// its revision. Meant for an address picked from the subnet's caught-up index: where the transaction already
    /// holds the subnet, a store may send the insert later and answer <see cref="AllocationInsert.Inserted"/> now; if
    /// the address turns out taken, the store abandons the transaction and the unit runs again.
    /// </summary>
    ValueTask<AllocationInsert> TryInsertAllocationAtRevisionAsync(Allocation allocation, long subnetRevision, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the description and reservation end of <paramref name="current"/>, only if its row is still as read (the
    /// same allocation, with the same description and end), and returns it as it is now; null when it is not: released,
    /// or changed by another writer since it was read.
    /// </summary>
    ValueTask<Allocation?> UpdateAllocationAsync(Allocation current, string? description, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes the allocation and returns it; null when there was none.</summary>
    ValueTask<Allocation?> DeleteAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken);

    /// <summary>Deletes every allocation of the subnet and returns them (a forced subnet delete records each one's end).</summary>
    ValueTask<IReadOnlyList<Allocation>> DeleteSubnetAllocationsAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken);

    /// <summary>Deletes allocations (of one subnet, or all) whose reservation ended at or before <paramref name="now"/>, and returns them.</summary>
    ValueTask<IReadOnlyList<Allocation>> DeleteExpiredAllocationsAsync(
        DateTimeOffset now, Guid? subnetId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="limit"/> allocations (of any subnet) whose reservation ended by the
    /// database's clock, so that instances with clocks that disagree expire reservations at the same moment.
    /// </summary>
    ValueTask<IReadOnlyList<Allocation>> SweepExpiredAllocationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
