using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sql;

/// <summary>
/// Allocation inserts held back by a shared transaction (<see cref="DeferredInserts"/>): sent before the next
/// statement of any unit (<see cref="CommandAsync"/> and <see cref="PreparedAsync"/> flush them), or with the
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
        AddDeferredInserts(deferred, batch);
        await ExecuteWithDeferredAsync(batch, carriesDeferred: true).ConfigureAwait(false);
    }

    private void AddDeferredInserts(DeferredInserts inserts, DbBatch batch) =>
        inserts.MoveTo(batch, (b, allocation) => BatchCommandOf(b, Sql.InsertHeldAllocation!, InsertArgumentsOf(allocation, null)));

    /// <summary>
    /// Runs a batch that may carry held-back inserts: one of them meeting a taken address abandons the shared
    /// transaction (the server skipped the rest of the batch, so nothing committed).
    /// </summary>
    private async ValueTask ExecuteWithDeferredAsync(DbBatch batch, bool carriesDeferred)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException e) when (carriesDeferred && dialect.IsUniqueViolation(e))
        {
            deferred!.Conflicted();
            throw new SharedTransactionSpoiledException();
        }
    }
}
