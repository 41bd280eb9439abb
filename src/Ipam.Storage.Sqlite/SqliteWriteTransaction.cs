using System.Data;
using Ipam.Changes;
using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// A write transaction on the writer's connection; the connection outlives it. It holds SQLite's write lock from
/// its start, so a subnet revision one of its units read or checked cannot change but by this transaction: its
/// sessions share those revisions, and the next allocation in the same subnet skips the check. The writer appends
/// every change of the database, so its sessions know where the log ends (<see cref="LogTail"/>).
/// </summary>
internal sealed class SqliteWriteTransaction(
    SqliteConnection connection, SqliteTransaction transaction, SqliteCommandCache commands, SqliteCheckpointer checkpointer, LogTail logTail)
    : IWriteTransaction
{
    private const string Savepoint = "unit";

    private readonly Dictionary<Guid, long> _heldRevisions = [];

    public bool IsOpen => connection.State == ConnectionState.Open;

    public SqlSession CreateSession() => new(connection, transaction, SqliteDialect.Instance, commands, _heldRevisions, writes: true, logTail);

    public ValueTask SetSavepointAsync()
    {
        transaction.Save(Savepoint);
        return ValueTask.CompletedTask;
    }

    public ValueTask MoveSavepointAsync()
    {
        transaction.Release(Savepoint);
        transaction.Save(Savepoint);
        return ValueTask.CompletedTask;
    }

    public ValueTask RollbackToSavepointAsync()
    {
        // The unit undone may have changed a subnet after its revision was remembered.
        _heldRevisions.Clear();
        transaction.Rollback(Savepoint);
        return ValueTask.CompletedTask;
    }

    /// <summary>Some errors (a full disk, for one) make SQLite roll the whole transaction back on its own.</summary>
    public ValueTask<bool> IsUsableAsync() =>
        ValueTask.FromResult(IsOpen && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0);

    /// <remarks>
    /// One row per change, each taking the position after the last (no AUTOINCREMENT: max(seq) + 1), so the changes
    /// sit right after the log's end as it was. The tail is unknown from the append until the commit has ended:
    /// if either fails, whether the transaction committed is not known here, and the writer reads it again.
    /// </remarks>
    public async ValueTask<long?> CommitAsync(IReadOnlyList<Change> changes, IReadOnlyList<Guid> recounts)
    {
        var before = logTail.End;
        logTail.End = null;
        var session = CreateSession();
        await session.AppendChangesAsync(changes).ConfigureAwait(false);
        var last = changes.Count == 0 ? before : SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);
        await session.RecountAsync(recounts).ConfigureAwait(false);
        try
        {
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"Could not commit: {e.Message}", e);
        }

        logTail.End = last;
        checkpointer.Committed();
        return before is { } after && last == after + changes.Count ? after : null;
    }

    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}
