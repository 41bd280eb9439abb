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

            var (outcome, endedLater) = await TryInsertAllocationThenAskEndedLaterAsync(allocation, subnetRevision, cancellationToken).ConfigureAwait(false);
            return (outcome, endedLater, null);
        }

        if (HeldRevisionDiffers(allocation.SubnetId, subnetRevision, out var checkedRevision))
        {
            return (AllocationInsert.SubnetChanged, false, await FindIdempotencyRecordAsync(allocation.SubnetId, actor, key, cancellationToken).ConfigureAwait(false));
        }

        await FlushDeferredAsync().ConfigureAwait(false);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        AddPrelude(batch);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectHeldIdempotencyRecord, Arguments().Id("subnet", allocation.SubnetId).Text("actor", actor).Text("key", key)));
        var insert = BatchCommandOf(batch, checkedRevision is null ? Sql.InsertAllocationUnlessKeyed : Sql.InsertAllocationAtRevisionUnlessKeyed,
            InsertArgumentsOf(allocation, checkedRevision).Text("actor", actor).Text("key", key));
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectAllocationEndedAfter,
            EndedAfterArgumentsOf(allocation.SubnetId, allocation.Address, allocation.CreatedAt)));
        try
        {
            IdempotencyRow? row = null;
            bool currentSubnet, endedAfter;
            int rows;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row = reader.GetRowParser<IdempotencyRow>()(reader);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                (currentSubnet, rows, endedAfter) = await ReadInsertThenEndedAfterAsync(reader, checkedRevision, cancellationToken).ConfigureAwait(false);
            }

            rows = checkedRevision is null ? insert.RecordsAffected : rows;
            var outcome = InsertOutcome(allocation, checkedRevision, currentSubnet, Inserted(modifiedBefore, rows));
            return (outcome, outcome == AllocationInsert.Inserted && endedAfter, RecordOf(row, allocation.SubnetId, actor, key));
        }
        catch (DbException e) when (dialect.IsForeignKeyViolation(e))
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }
}
