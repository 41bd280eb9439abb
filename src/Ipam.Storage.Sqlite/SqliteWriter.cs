using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite database, as the group-commit engine sees it. SQLite allows one writer at a
/// time, so instead of letting connections fight over the lock, requests queue in the engine and are
/// committed in batches on this one long-lived connection (one transaction at a time). Requests first share
/// the transaction without savepoints, as on PostgreSQL: the usual failures (an address taken, a pool
/// exhausted) change nothing and are answered at once, and only a request that fails after writing makes the
/// batch run again with a savepoint per request. Savepoints for every request cost two statements each, about
/// 4 µs of the writer's 90 µs per allocation. Nothing is retried for contention: the writer never waits for
/// another writer.
/// </summary>
internal sealed class SqliteWriter(SqliteConnection connection, SqliteCheckpointer checkpointer) : IGroupCommitHooks, IAsyncDisposable
{
    private readonly SqliteCommandCache _commands = new();
    private readonly LogTail _logTail = new();

    // The files the writer's connection opened: the migration that ran on it before has created the WAL.
    private readonly FileIdentity? _database = FileIdentity.IsSupported ? FileIdentity.Of(connection.DataSource) : null;
    private readonly FileIdentity? _wal = FileIdentity.IsSupported ? FileIdentity.Of(WalOf(connection.DataSource)) : null;

    private string WalPath => WalOf(connection.DataSource);

    public static GroupCommitOptions GroupCommitOptionsOf(SqliteStoreOptions options) => new()
    {
        MaxBatchSize = options.MaxBatchSize,
        MaxConcurrentBatches = 1,
        GroupCommitWait = options.GroupCommitWait,
        CallsBlock = true,
    };

    public ValueTask<IWriteTransaction> BeginAsync(Isolation isolation, IReadOnlyList<Guid> subnetIds, bool contended)
    {
        ThrowIfFileMoved();
        if (checkpointer.TakeResetRequest())
        {
            RestartWal();
        }

        try
        {
            var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                _logTail.End ??= ReadLogEnd(transaction);
            }
            catch
            {
                transaction.Dispose();
                throw;
            }

            return ValueTask.FromResult<IWriteTransaction>(new SqliteWriteTransaction(connection, transaction, _commands, checkpointer, _logTail));
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"Could not start a transaction: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether the database file was deleted or replaced since the writer opened it, or its WAL deleted: SQLite deletes
    /// the WAL only when the last connection closes, and the writer's stays open, so a missing WAL was deleted
    /// underneath, and commits would go on into the deleted file, which the next start never reads. Checked before
    /// every transaction, so on Linux without reading the files' times (<see cref="FileIdentity"/>): the paths must
    /// still name the files they named when the writer started. Elsewhere SQLite compares the database's path with
    /// its open file (<see cref="SqliteFileControl.HasMoved"/>).
    /// </summary>
    public bool FileHasMoved() => FileIdentity.IsSupported
        ? FileIdentity.Of(connection.DataSource) != _database || FileIdentity.Of(WalPath) != _wal
        : SqliteFileControl.HasMoved(connection) || !File.Exists(WalPath);

    /// <summary>
    /// For the readiness probe: whether the files are in place (<see cref="FileHasMoved"/>), asked also of SQLite on
    /// the writer's connection (<see cref="SqliteFileControl.HasMoved"/>), which waits for a transaction under way to
    /// let go of it. So a commit stuck in the file system holds the ping, and the probe answers 503 at its timeout
    /// rather than once the transaction has run for <see cref="GroupCommitEngine.StalledAfter"/>.
    /// </summary>
    public bool InPlaceAndFree() => !SqliteFileControl.HasMoved(connection) && !FileHasMoved();

    /// <summary>
    /// Refuses every write once the file the writer holds is no longer at its path: a change committed there would be
    /// acknowledged and then lost, since the next start opens whatever file the path names.
    /// </summary>
    private void ThrowIfFileMoved()
    {
        if (FileHasMoved())
        {
            throw new StoreUnavailableException(
                $"The SQLite file {connection.DataSource} or its -wal file was deleted or replaced while the server ran, so a change written now would be " +
                "lost at the next start; nothing was changed. Put the file back or restart the server.");
        }
    }

    public bool ShouldRetry(Exception failure, int attempts, CancellationToken cancellationToken) => false;

    // One writer: nothing else holds locks to wait for.
    public bool IsContention(Exception failure) => false;

    public void LostToLock(Guid subnetId, Exception failure)
    {
    }

    public Task? WaitForSubnet(Guid subnetId, CancellationToken cancellationToken) => null;

    public TimeSpan Backoff(int attempts) => TimeSpan.Zero;

    public Exception Translate(Exception failure) => failure switch
    {
        SqliteException sqlite => new StoreUnavailableException($"The database refused the change: {sqlite.Message}", sqlite),
        _ => failure,
    };

    public async ValueTask DisposeAsync()
    {
        _commands.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static string WalOf(string databasePath) => databasePath + "-wal";

    /// <summary>Where the log ends, read in the writer's transaction: nothing else appends while it holds the database.</summary>
    private long ReadLogEnd(SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SqliteSql.Text.SelectLastChangeSequence;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Lets the WAL start over from its beginning (see <see cref="SqliteCheckpointer"/>): only the writer can,
    /// between two transactions. Most pages were already copied in the background, so this is short. A RESTART
    /// also waits for every reader still on an older snapshot, and every write waits behind it: so it waits
    /// <see cref="SqliteCheckpointer.Patience"/> at most, not the writer's own busy timeout. If a long read
    /// outlasts that, the WAL grows on and the checkpointer asks again after its next round.
    /// </summary>
    private void RestartWal()
    {
        SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, (int)SqliteCheckpointer.Patience.TotalMilliseconds);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(RESTART);";
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // The WAL only grows on until the next request; the batch itself is unaffected.
        }
        finally
        {
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, (int)SqliteStore.WriterBusyTimeout.TotalMilliseconds);
            checkpointer.ResetDone();
        }
    }
}
