using System.Data;
using Ipam.Changes;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Postgres;

/// <summary>
/// A write transaction on a pooled connection it owns. In a transaction shared without savepoints,
/// <c>heldRevisions</c> holds the subnet revisions its requests read under share locks (see <see cref="SqlSession"/>)
/// and <c>deferred</c>, when given, the allocation inserts and the log-end check it holds back to send with its
/// commit (see <see cref="DeferredInserts"/>); <c>disposed</c> learns, at the end, whether one of those failed.
/// <c>committedUnplaced</c> counts a commit that appended changes where the instance was not told, and
/// <c>unplacedCommits</c> is that count when the transaction began (see <see cref="IIpamSession.UnplacedCommits"/>).
/// <c>prelude</c> begins the transaction and sets its lock wait, sent with whatever it sends first (see
/// <see cref="TransactionPrelude"/> and <see cref="PostgresWriter.LockWait"/>): a transaction that sends nothing never
/// begins, and its commit sends nothing either.
/// </summary>
internal sealed class PostgresWriteTransaction(
    NpgsqlConnection connection,
    Dictionary<Guid, long>? heldRevisions,
    DeferredInserts? deferred,
    Action<DeferredInserts?> disposed,
    long unplacedCommits,
    Action committedUnplaced,
    TransactionPrelude prelude) : IWriteTransaction
{
    public bool IsOpen => connection.FullState == ConnectionState.Open;

    public SqlSession CreateSession() =>
        new(connection, null, PostgresDialect.Instance, heldRevisions: heldRevisions, writes: true, deferred: deferred,
            unplacedCommits: unplacedCommits, prelude: prelude);

    public ValueTask SetSavepointAsync() => ExecuteAsync("SAVEPOINT unit");

    // One round trip.
    public ValueTask MoveSavepointAsync() => ExecuteAsync("RELEASE SAVEPOINT unit; SAVEPOINT unit");

    public ValueTask RollbackToSavepointAsync() => ExecuteAsync("ROLLBACK TO SAVEPOINT unit");

    public async ValueTask<bool> IsUsableAsync()
    {
        try
        {
            await ExecuteAsync("SELECT 1").ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InFailedSqlTransaction)
        {
            return false;
        }
    }

    /// <summary>
    /// The inserts held back (see <see cref="DeferredInserts"/>), the append, any recount and the <c>COMMIT</c> go
    /// in one batch, one round trip: the append's lock (see <see cref="SqlText.AppendChanges"/>) is then held for
    /// the commit alone, not also for a round trip before it, and an error in an insert or the append makes the
    /// server skip the <c>COMMIT</c>. An error the server sent back means the transaction did not commit (a
    /// held-back insert's comes as <see cref="SharedTransactionSpoiledException"/>, for the requests to run again);
    /// any other failure (the connection broke, the answer never came) leaves the outcome unknown. So does a FATAL
    /// one, which ends the session: the server sends one to a commit it had already written while it waited for a
    /// synchronous standby, when a fast shutdown or <c>pg_terminate_backend</c> ends the wait. Other instances
    /// append too, so where the changes went is known only when the commit checked the log end its units presumed
    /// (<see cref="DeferredInserts.TryPresumeLogEnd"/>) and they followed it directly.
    /// </summary>
    public async ValueTask<long?> CommitAsync(IReadOnlyList<Change> changes, IReadOnlyList<Guid> recounts)
    {
        try
        {
            if (changes.Count == 0 && recounts.Count == 0 && deferred is not { Count: > 0 } && deferred?.ChecksLogEnd != true)
            {
                if (prelude.Sent)
                {
                    await ExecuteAsync("COMMIT").ConfigureAwait(false);
                }

                return null;
            }

            var appendedAfter = await CreateSession().AppendChangesAndCommitAsync(changes, recounts).ConfigureAwait(false);
            if (appendedAfter is null && changes.Count > 0)
            {
                committedUnplaced();
            }

            return appendedAfter;
        }
        catch (Exception e) when (e is not (PostgresException { InvariantSeverity: "ERROR" } or SharedTransactionSpoiledException))
        {
            // It may have committed, at positions nobody was told.
            committedUnplaced();
            throw new CommitOutcomeUnknownException(e);
        }
    }

    /// <summary>
    /// Gives the connection back. One still inside the transaction (not committed, or failed) is rolled back by the
    /// driver as the pool takes it; a broken one is closed, and the server ends its transaction.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        disposed(deferred);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask ExecuteAsync(string sql)
    {
        // No parameters: the driver sends a prelude still to be sent and the statement together.
        await using var command = new NpgsqlCommand(TransactionPrelude.Before(prelude, sql), connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
