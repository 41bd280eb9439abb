namespace Ipam.Storage.Sql;

/// <summary>
/// A catch-up read of the change log and an allocation insert sent together: where the driver sends a batch in
/// one round trip (PostgreSQL's), an allocation picked before the read costs one round trip less. Elsewhere the
/// two statements simply run one after the other.
/// </summary>
internal sealed partial class SqlSession
{
    public async ValueTask<(IReadOnlyList<Change> Changes, AllocationInsert Outcome)> ListAllocationChangesThenInsertAsync(
        long after, int limit, Allocation allocation, long? unconfirmedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        // As TryInsertAllocationAtRevisionAsync: a revision this transaction holds is not checked again.
        if (HeldRevisionDiffers(allocation.SubnetId, unconfirmedRevision, out var checkedRevision) || !connection.CanCreateBatch)
        {
            var changes = await ListAllocationChangesAsync(after, limit, cancellationToken).ConfigureAwait(false);
            var outcome = unconfirmedRevision is { } revision
                ? await TryInsertAllocationAtRevisionAsync(allocation, revision, cancellationToken).ConfigureAwait(false)
                : await TryInsertAllocationAsync(allocation, cancellationToken).ConfigureAwait(false) ? AllocationInsert.Inserted : AllocationInsert.AddressTaken;
            return (changes, outcome);
        }

        await using var batch = await NewBatchAsync().ConfigureAwait(false);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectAllocationChanges, Arguments().BigInt("after", after).Int("limit", limit)));
        var insert = BatchCommandOf(batch, checkedRevision is null ? Sql.InsertAllocation : Sql.InsertAllocationAtRevision,
            InsertArgumentsOf(allocation, checkedRevision));
        batch.BatchCommands.Add(insert);
        try
        {
            IReadOnlyList<Change> changes;
            bool current;
            int rows;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                changes = await ReadAllocationChangeRowsAsync(reader, cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                (current, rows) = checkedRevision is null ? (true, 0) : await ReadInsertOutcomeAsync(reader, cancellationToken).ConfigureAwait(false);
            }

            // A plain insert returns no row: its count is known once the reader has read past it.
            rows = checkedRevision is null ? insert.RecordsAffected : rows;
            return (changes, InsertOutcome(allocation, checkedRevision, current, Inserted(modifiedBefore, rows)));
        }
        catch (DbException e) when (dialect.IsForeignKeyViolation(e))
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }
}
