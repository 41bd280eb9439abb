namespace Ipam.Storage.Sql;

/// <summary>
/// A specific address's insert and the question whether the address's last allocation ended later, sent together
/// where the driver sends a batch in one round trip (PostgreSQL's). Under READ COMMITTED the question, as the batch's
/// second statement, takes its own snapshot once the insert is done, as a statement sent after it would.
/// </summary>
internal sealed partial class SqlSession
{
    public async ValueTask<(AllocationInsert Outcome, bool EndedLater)> TryInsertAllocationThenAskEndedLaterAsync(
        Allocation allocation, long? subnetRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        // As TryInsertAllocationAtRevisionAsync: a revision this transaction holds is not checked again.
        if (HeldRevisionDiffers(allocation.SubnetId, subnetRevision, out var checkedRevision))
        {
            return (AllocationInsert.SubnetChanged, false);
        }

        AllocationInsert outcome;
        if (!connection.CanCreateBatch)
        {
            var (current, inserted) = await InsertAllocationAsync(allocation, checkedRevision, cancellationToken).ConfigureAwait(false);
            outcome = InsertOutcome(allocation, checkedRevision, current, inserted);
            return (outcome, outcome == AllocationInsert.Inserted
                && await AllocationEndedAfterAsync(allocation.SubnetId, allocation.Address, allocation.CreatedAt, cancellationToken).ConfigureAwait(false));
        }

        await FlushDeferredAsync().ConfigureAwait(false);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        AddPrelude(batch);
        var insert = BatchCommandOf(batch, checkedRevision is null ? Sql.InsertAllocation : Sql.InsertAllocationAtRevision,
            InsertArgumentsOf(allocation, checkedRevision));
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectAllocationEndedAfter,
            EndedAfterArgumentsOf(allocation.SubnetId, allocation.Address, allocation.CreatedAt)));
        try
        {
            bool currentSubnet, endedAfter;
            int rows;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                // A plain insert returns no row, and the reader starts at the question's; one that checks the
                // revision returns its outcome first.
                (currentSubnet, rows) = checkedRevision is null ? (true, 0) : await ReadInsertOutcomeAsync(reader, cancellationToken).ConfigureAwait(false);
                if (checkedRevision is not null)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                endedAfter = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? reader.GetInt32(0) != 0
                    : throw new InvalidOperationException("The question whether an address's allocation ended later returned no row.");
            }

            // A plain insert's count is known once the reader has read past it.
            rows = checkedRevision is null ? insert.RecordsAffected : rows;
            outcome = InsertOutcome(allocation, checkedRevision, currentSubnet, Inserted(modifiedBefore, rows));
            return (outcome, outcome == AllocationInsert.Inserted && endedAfter);
        }
        catch (DbException e) when (dialect.IsForeignKeyViolation(e))
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }
}
