using System.Data;
using Ipam.Changes;
using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// A write transaction on the writer's connection; the connection outlives it. It holds SQLite's write lock from
/// its start, so a subnet revision one of its units read or checked cannot change but by this transaction: its
/// sessions share those revisions, and the next allocation in the same subnet skips the check.
/// </summary>
internal sealed class SqliteWriteTransaction(
    SqliteConnection connection, SqliteTransaction transaction, SqliteCommandCache commands, SqliteCheckpointer checkpointer) : IWriteTransaction
{
    private const string Savepoint = "unit";

    private readonly Dictionary<Guid, long> _heldRevisions = [];

    public bool IsOpen => connection.State == ConnectionState.Open;

    public SqlSession CreateSession() => new(connection, transaction, SqliteDialect.Instance, commands, _heldRevisions, writes: true);

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

    public async ValueTask CommitAsync(IReadOnlyList<Change> changes, IReadOnlyList<Guid> recounts)
    {
        var session = CreateSession();
        await session.AppendChangesAsync(changes).ConfigureAwait(false);
        await session.RecountAsync(recounts).ConfigureAwait(false);
        try
        {
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"Could not commit: {e.Message}", e);
        }

        checkpointer.Committed();
    }

    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}
