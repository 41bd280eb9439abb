namespace Ipam.Storage.Sql;

/// <summary>
/// A specific address's insert under an <c>Idempotency-Key</c>: the look-up of the key, the insert (skipped when the
/// key has a record) and the question whether the address's last holder ended later, sent together where the driver
/// sends a batch in one round trip (PostgreSQL's); elsewhere the look-up, then, for a new key, the other two.
/// </summary>
internal sealed partial class SqlSession
{
    public async ValueTask<(AllocationInsert Outcome, bool EndedLater, IdempotencyRecord? Record)> TryInsertAllocationUnlessKeyedThenAskEndedLaterAsync(
        Allocation allocation, long? subnetRevision, string actor, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        if (!connection.CanCreateBatch || Sql.SelectHeldIdempotencyRecord is null || Sql.InsertAllocationUnlessKeyed is null
            || Sql.InsertAllocationAtRevisionUnlessKeyed is null)
        {
            if (await FindIdempotencyRecordAsync(allocation.SubnetId, actor, key, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return (AllocationInsert.AddressTaken, false, found);
            }

            var (inserted, insertedBeforeLaterEnd) = await TryInsertAllocationThenAskEndedLaterAsync(allocation, subnetRevision, cancellationToken).ConfigureAwait(false);
            return (inserted, insertedBeforeLaterEnd, null);
        }

        if (HeldRevisionDiffers(allocation.SubnetId, subnetRevision, out var checkedRevision))
        {
            return (AllocationInsert.SubnetChanged, false, await FindIdempotencyRecordAsync(allocation.SubnetId, actor, key, cancellationToken).ConfigureAwait(false));
        }

        var (outcome, endedLater, record) = await InsertThenAskInOneBatchAsync(allocation, checkedRevision, (actor, key), cancellationToken).ConfigureAwait(false);
        return (outcome, endedLater, RecordOf(record, allocation.SubnetId, actor, key));
    }
}
