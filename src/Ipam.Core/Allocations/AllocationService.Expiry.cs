namespace Ipam.Allocations;

/// <summary>Releasing reservations whose time is up.</summary>
public sealed partial class AllocationService
{
    /// <summary>How many expired reservations one transaction of <see cref="ReleaseExpiredAsync"/> releases at most.</summary>
    public const int ExpiryBatchSize = 1_000;

    /// <summary>
    /// Releases every reservation whose time is up, <see cref="ExpiryBatchSize"/> per
    /// transaction so that a backlog never holds the writer long, and forgets old idempotency keys; returns how
    /// many reservations were released.
    /// </summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken cancellationToken = default)
    {
        var released = 0;
        int batch;
        do
        {
            batch = await store.WriteAsync(async (session, ct) =>
            {
                var expired = await session.SweepExpiredAllocationsAsync(time.GetUtcNow(), ExpiryBatchSize, ct).ConfigureAwait(false);
                await RecordExpiredAsync(session, expired, ct).ConfigureAwait(false);
                return expired.Count;
            }, cancellationToken).ConfigureAwait(false);
            released += batch;
        }
        while (batch == ExpiryBatchSize);

        // Kept for a day, so this instance's clock is close enough.
        await store.WriteAsync(async (session, ct) =>
        {
            await session.DeleteIdempotencyRecordsBeforeAsync(time.GetUtcNow() - IdempotencyFingerprint.Retention, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <summary>Records the end of reservations that ran out, in any subnets, each with its subnet's tenant and CIDR.</summary>
    private async ValueTask RecordExpiredAsync(IIpamSession session, IReadOnlyList<Allocation> expired, CancellationToken ct)
    {
        foreach (var group in expired.GroupBy(a => a.SubnetId))
        {
            var subnet = await session.FindSubnetAsync(group.Key, RowLock.None, ct).ConfigureAwait(false);
            if (subnet is null)
            {
                continue;
            }

            // The index learns of these ends from the log once they commit, so a rollback leaves an index cached
            // before it as it was. Only one built since, by a later unit of the same transaction, may show the rows
            // gone; no other unit of it runs between the delete and this line.
            var indexBefore = cache.Cached(subnet.Id);
            session.OnRolledBack(() => cache.InvalidateUnless(subnet.Id, indexBefore));
            foreach (var allocation in group)
            {
                changes.AllocationEnded(session, subnet, allocation, ReleaseReasons.Expired);
            }
        }
    }
}
