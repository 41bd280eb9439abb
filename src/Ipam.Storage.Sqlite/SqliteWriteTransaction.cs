using System.Data;
using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sqlite;

/// <summary>A write transaction on the writer's connection; the connection outlives it.</summary>
internal sealed class SqliteWriteTransaction(
    SqliteConnection connection, SqliteTransaction transaction, SqliteCommandCache commands, SqliteCheckpointer checkpointer) : IWriteTransaction
{
    private const string Savepoint = "unit";

    public bool IsOpen => connection.State == ConnectionState.Open;

    public SqlSession CreateSession() => new(connection, transaction, SqliteDialect.Instance, commands, writes: true);

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
        transaction.Rollback(Savepoint);
        return ValueTask.CompletedTask;
    }

    /// <summary>Some errors (a full disk, for one) make SQLite roll the whole transaction back on its own.</summary>
    public ValueTask<bool> IsUsableAsync() =>
        ValueTask.FromResult(IsOpen && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0);

    public ValueTask CommitAsync()
    {
        try
        {
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"Could not commit: {e.Message}", e);
        }

        checkpointer.Committed();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}
