namespace Ipam.Storage.Sql;

/// <summary>
/// A specific address's insert and the question whether the address's last allocation ended later, sent together
/// where the driver sends a batch in one round trip (PostgreSQL's). Under READ COMMITTED the question, as a later
/// statement of the batch, takes its own snapshot once the insert is done, as a statement sent after it would.
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

        if (!connection.CanCreateBatch)
        {
            var (current, inserted) = await InsertAllocationAsync(allocation, checkedRevision, cancellationToken).ConfigureAwait(false);
            var outcome = InsertOutcome(allocation, checkedRevision, current, inserted);
            return (outcome, outcome == AllocationInsert.Inserted
                && await AllocationEndedAfterAsync(allocation.SubnetId, allocation.Address, allocation.CreatedAt, cancellationToken).ConfigureAwait(false));
        }

        var (batched, endedLater, _) = await InsertThenAskInOneBatchAsync(allocation, checkedRevision, null, cancellationToken).ConfigureAwait(false);
        return (batched, endedLater);
    }

    /// <summary>
    /// One batch: with <paramref name="key"/>, the look-up of its record first and an insert that skips itself when
    /// there is one; the insert, checking <paramref name="checkedRevision"/> if given; then the question. Returns the
    /// insert's outcome, whether a later end was found (only once inserted), and the key's record as read.
    /// </summary>
    private async ValueTask<(AllocationInsert Outcome, bool EndedLater, IdempotencyRow? Record)> InsertThenAskInOneBatchAsync(
        Allocation allocation, long? checkedRevision, (string Actor, string Key)? key, CancellationToken cancellationToken)
    {
        await using var batch = await NewBatchAsync().ConfigureAwait(false);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        var insertArguments = InsertArgumentsOf(allocation, checkedRevision);
        string insertSql;
        if (key is { } keyed)
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectHeldIdempotencyRecord!,
                Arguments().Id("subnet", allocation.SubnetId).Text("actor", keyed.Actor).Text("key", keyed.Key)));
            insertSql = checkedRevision is null ? Sql.InsertAllocationUnlessKeyed! : Sql.InsertAllocationAtRevisionUnlessKeyed!;
            insertArguments.Text("actor", keyed.Actor).Text("key", keyed.Key);
        }
        else
        {
            insertSql = checkedRevision is null ? Sql.InsertAllocation : Sql.InsertAllocationAtRevision;
        }

        var insert = BatchCommandOf(batch, insertSql, insertArguments);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectAllocationEndedAfter,
            EndedAfterArgumentsOf(allocation.SubnetId, allocation.Address, allocation.CreatedAt)));
        try
        {
            IdempotencyRow? record = null;
            bool currentSubnet, endedAfter;
            int rows;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (key is not null)
                {
                    record = (await ReadRowsAsync<IdempotencyRow>(reader, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                // A plain insert returns no row, and the reader is then at the question's; one that checks the
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
            var outcome = InsertOutcome(allocation, checkedRevision, currentSubnet, Inserted(modifiedBefore, rows));
            return (outcome, outcome == AllocationInsert.Inserted && endedAfter, record);
        }
        catch (DbException e) when (dialect.IsForeignKeyViolation(e))
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }
}
