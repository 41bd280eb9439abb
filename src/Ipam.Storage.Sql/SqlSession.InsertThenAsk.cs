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
                (currentSubnet, rows, endedAfter) = await ReadInsertThenEndedAfterAsync(reader, checkedRevision, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Reads an insert's outcome and the question after it from a batch's reader: a plain insert returns no row (its
    /// rows are counted once the reader is past it, here 0), and the reader is then at the question's; one that checks
    /// <paramref name="checkedRevision"/> returns its outcome first.
    /// </summary>
    private static async ValueTask<(bool CurrentSubnet, int Rows, bool EndedAfter)> ReadInsertThenEndedAfterAsync(
        DbDataReader reader, long? checkedRevision, CancellationToken cancellationToken)
    {
        var (currentSubnet, rows) = checkedRevision is null ? (true, 0) : await ReadInsertOutcomeAsync(reader, cancellationToken).ConfigureAwait(false);
        if (checkedRevision is not null)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        var endedAfter = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? reader.GetInt32(0) != 0
            : throw new InvalidOperationException("The question whether an address's allocation ended later returned no row.");
        return (currentSubnet, rows, endedAfter);
    }
}
