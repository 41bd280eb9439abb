namespace Ipam.Storage;

/// <summary>
/// Subnet usage: counters, plus the net of the change log's allocation changes that a background fold has not
/// added to them yet, so that reading it costs the same whatever the number of allocations and is exact at every
/// commit. Usage follows the log: every insert and delete of an allocation row is recorded by its unit as an
/// allocation change (created, released or expired), as the services do.
/// </summary>
public partial interface IIpamSession
{
    /// <summary>The subnet's allocations, all of them and those inside its stored allocation pools: its counters plus the log past them.</summary>
    ValueTask<(long All, long InPools)> CountSubnetAllocationsAsync(Guid subnetId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CountSubnetAllocationsAsync"/> of each of <paramref name="subnetIds"/> (a page of them), in one read
    /// of the log past the counters for all of them; a subnet that does not exist counts (0, 0).
    /// </summary>
    ValueTask<IReadOnlyDictionary<Guid, (long All, long InPools)>> CountAllocationsOfSubnetsAsync(IReadOnlyList<Guid> subnetIds, CancellationToken cancellationToken);

    ValueTask<long> CountSubnetsAsync(CancellationToken cancellationToken);

    /// <summary>Every subnet whose usage (counters plus the log past them) differs from a count of its allocation rows, by id (reads every allocation).</summary>
    ValueTask<IReadOnlyList<UsageMismatch>> FindUsageMismatchesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads every row of subnets, allocation pools and allocations as the service reads them, and finds the ones it
    /// cannot read (<see cref="UnreadableRow"/>) or that lie outside their subnet: the first <paramref name="limit"/> of
    /// them, and how many there are in all.
    /// </summary>
    ValueTask<(IReadOnlyList<UnreadableRow> First, long Count)> FindUnreadableRowsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// How many entries of a store that keeps owners apart from the allocations (written by the fold, like the counters)
    /// differ from the allocations; 0 for a store that indexes them (reads every allocation).
    /// </summary>
    ValueTask<long> CountOwnerEntryMismatchesAsync(CancellationToken cancellationToken);

    /// <summary>Sets a store's owners' entries from the allocations as they are; nothing for a store that indexes them.</summary>
    ValueTask RebuildOwnerEntriesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets the subnet's counters to a count of its rows when this unit's transaction commits (after its changes are
    /// appended, so the count takes them in). The caller holds the subnet (<see cref="RowLock.ForUpdate"/>), so that
    /// no allocation of a concurrent transaction changes the rows meanwhile.
    /// </summary>
    ValueTask RecountSubnetUsageAsync(Guid subnetId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the next <paramref name="limit"/> changes past the fold's position to the counters and moves the position
    /// past them; returns how many it took (0: the counters hold the whole log, or another instance is folding now).
    /// Holds the position until the commit, so that two instances never fold the same changes: a unit of its own
    /// (<see cref="IIpamStore.WriteAloneAsync{T}"/>).
    /// </summary>
    ValueTask<int> FoldUsageAsync(int limit, CancellationToken cancellationToken);

    /// <summary>How far the change log runs past the fold: an upper bound of the changes a usage read adds to the counters.</summary>
    ValueTask<long> FindUsageFoldLagAsync(CancellationToken cancellationToken);
}
