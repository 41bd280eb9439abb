using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sql;

/// <summary>
/// Allocation inserts and idempotency records held back by a write transaction (<see cref="DeferredInserts"/>): sent
/// before the next statement of any unit (<see cref="CommandAsync"/> and <see cref="PreparedAsync"/> flush them), or with the
/// commit.
/// </summary>
internal sealed partial class SqlSession
{
    /// <summary>
    /// Sends the allocation inserts held back so far (see <see cref="DeferredInserts"/>), in one round trip, so
    /// that the statement about to run sees them. Runs for the whole transaction, whichever unit's statement
    /// comes next, so not cancellable by that unit's caller.
    /// </summary>
    private async ValueTask FlushDeferredAsync()
    {
        if (deferred is not { Count: > 0 })
        {
            return;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        AddPrelude(batch);
        AddDeferredInserts(deferred, batch);
        await ExecuteWithDeferredAsync(batch, carriesDeferred: true).ConfigureAwait(false);
    }

    private void AddDeferredInserts(DeferredInserts inserts, DbBatch batch) =>
        inserts.MoveTo(
            batch,
            (b, allocation, revision) => BatchCommandOf(b, Sql.HoldSubnet!, Arguments().Id("subnet", allocation.SubnetId).BigInt("revision", revision)),
            (b, allocation) => BatchCommandOf(b, Sql.InsertHeldAllocation!, InsertArgumentsOf(allocation, null)),
            (b, record) => BatchCommandOf(b, Sql.InsertHeldIdempotencyRecord!, IdempotencyArgumentsOf(record)));

    /// <summary>
    /// Whether this unit acted on indexes caught up to <paramref name="position"/> of the change log without reading
    /// it, which the commit then checks (<see cref="DeferredInserts.TryPresumeLogEnd"/>): only in a write transaction
    /// of a store that allows it.
    /// </summary>
    public bool TryPresumeLogEnd(long position, bool spreadPick = false)
    {
        if (deferred?.TryPresumeLogEnd(this, position, spreadPick) != true)
        {
            return false;
        }

        PresumesLogEnd = true;
        return true;
    }

    public void WithdrawLogEndPresumption()
    {
        deferred?.Withdraw(this);
        PresumesLogEnd = false;
    }

    public bool PresumesLogEnd { get; private set; }

    private async ValueTask ExecuteWithDeferredAsync(DbBatch batch, bool carriesDeferred) =>
        await ExecuteWithDeferredAsync(batch, carriesDeferred, b => b.ExecuteNonQueryAsync(CancellationToken.None)).ConfigureAwait(false);

    /// <summary>
    /// Runs a batch that may carry held-back statements, through <paramref name="execute"/>: an insert among them
    /// meeting a taken address, or a check finding otherwise, abandons the transaction (the server skipped the rest
    /// of the batch, so nothing committed).
    /// </summary>
    private async ValueTask<T> ExecuteWithDeferredAsync<T>(DbBatch batch, bool carriesDeferred, Func<DbBatch, Task<T>> execute)
    {
        try
        {
            return await execute(batch).ConfigureAwait(false);
        }
        catch (DbException e) when (carriesDeferred && (dialect.IsUniqueViolation(e) || dialect.IsRefutedCheck(e)))
        {
            deferred!.Conflicted(addressTaken: dialect.IsUniqueViolation(e), keyRecordTaken: dialect.IsTakenKeyRecord(e));
            throw new SharedTransactionSpoiledException();
        }
    }
}
