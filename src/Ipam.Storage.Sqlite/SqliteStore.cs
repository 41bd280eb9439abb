using System.Collections.Concurrent;
using Ipam.Addressing;
using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes queue for group commit on the single
/// <see cref="SqliteWriter"/> connection;
/// reads use pooled connections on WAL snapshots and never wait for the writer. A reader connection keeps its
/// prepared statements while idle, so hot reads are compiled once per connection, not once per read.
/// </summary>
public sealed class SqliteStore : IIpamStore, IOnlineBackup
{
    /// <summary>Reader connections kept open between reads, each with its own prepared statements.</summary>
    private const int MaxIdleReaders = 16;

    /// <summary>Below this much free space on the database's file system the store reports itself not ready.</summary>
    private const long MinFreeBytes = 1 << 20;

    private readonly string _connectionString;

    /// <summary>
    /// For every connection after the migration's: the file must exist, so that a reader opened after the file was
    /// deleted fails rather than leave an empty database for the next start to take for this one.
    /// </summary>
    private readonly string _existingFileConnectionString;
    private readonly SqliteStoreOptions _options;
    private readonly ConcurrentStack<SqliteReader> _idleReaders = new();
    private int _idleReaderCount;
    private SqliteWriter? _writer;
    private GroupCommitEngine? _groupCommit;
    private SqliteCheckpointer? _checkpointer;
    private readonly SqliteFileLock _fileLock;
    private readonly SemaphoreSlim _oneCopyAtATime = new(1, 1);
    private volatile bool _disposed;

    /// <summary>Opens the store on <see cref="SqliteStoreOptions.Path"/>, holding the file's lock until disposed.</summary>
    /// <exception cref="StoreUnavailableException">
    /// Another store, in this process or another, serves the same file (<see cref="SqliteFileLock"/>).
    /// </exception>
    public SqliteStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _fileLock = SqliteFileLock.Acquire(options.Path);
        DeleteLeftCopies(options.Path);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = SqliteFileName.Of(options.Path, options.OtherProcessesMayRead),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        _existingFileConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();
    }

    /// <summary>How long the writer's statements wait for a lock another connection holds (a checkpoint's, briefly).</summary>
    internal static TimeSpan WriterBusyTimeout { get; } = TimeSpan.FromSeconds(30);

    public bool IsShared => false;

    public string Path => _options.Path;

    /// <summary>The write queue, once <see cref="MigrateAsync"/> opened the writer.</summary>
    internal GroupCommitEngine? GroupCommit => _groupCommit;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        try
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
            SqliteMigrator.Migrate(connection);
            Execute(connection, $"PRAGMA synchronous = {(_options.SynchronousFull ? "FULL" : "NORMAL")};");
            if (_writer is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            // Checkpoints run on the checkpointer's connection, never on a commit; the writer waits for the
            // checkpointer's RESTART or TRUNCATE in SQLite's busy handler (fine-grained) rather than in the driver's retry loop.
            Execute(connection, "PRAGMA wal_autocheckpoint = 0;");
            Execute(connection, $"PRAGMA busy_timeout = {(int)WriterBusyTimeout.TotalMilliseconds};");
            Execute(connection, $"PRAGMA journal_size_limit = {WalSizeLimit(connection)};");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _checkpointer = new SqliteCheckpointer(_existingFileConnectionString, _options.CheckpointInterval, _options.WalResetPages);
        _writer = new SqliteWriter(connection, _checkpointer);
        _groupCommit = new GroupCommitEngine(_writer, SqliteWriter.GroupCommitOptionsOf(_options));
        // The migration's own pages are in the WAL too.
        _checkpointer.Committed();
    }

    /// <summary>
    /// Reads the subnets table (an index lookup) and checks that the database's file system has room for a few
    /// transactions (a full disk fails every write while reads still work, and a statvfs call is how to see it
    /// without writing), that the file is still the one the writer opened, and that no write transaction is stuck:
    /// the writer's connection must be free (<see cref="SqliteWriter.InPlaceAndFree"/>; reads may still work on a file
    /// system frozen for writes), and none may have run past <see cref="GroupCommitEngine.IsStalled"/>.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        if (_groupCommit?.IsStalled == true)
        {
            return false;
        }

        try
        {
            await ReadAsync((session, ct) => session.FindSubnetRevisionAsync(Guid.Empty, ct), cancellationToken).ConfigureAwait(false);
            return FreeBytes() >= MinFreeBytes && _writer?.InPlaceAndFree() != false;
        }
        catch (Exception e) when (e is StoreUnavailableException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public Task<T> ReadAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        StoreTelemetry.TraceAsync(StoreTelemetry.Read, () => ReadUntracedAsync(work, cancellationToken));

    private async Task<T> ReadUntracedAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        SqliteReader? reader = null;
        var failed = false;
        try
        {
            reader = TakeReader() ?? new SqliteReader(await OpenAsync(_existingFileConnectionString, cancellationToken).ConfigureAwait(false));
            await using var transaction = reader.Connection.BeginTransaction(deferred: true);
            var result = await work(new SqlSession(reader.Connection, transaction, SqliteDialect.Instance, reader.Commands), cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        catch (SqliteException e)
        {
            failed = true;
            throw new StoreUnavailableException($"The database could not be read: {e.Message}", e);
        }
        finally
        {
            // Only the database's own errors leave a connection in doubt; after any other outcome (a refusal
            // such as not found) the transaction is rolled back and the connection is as good as new.
            if (reader is not null)
            {
                if (failed)
                {
                    reader.Dispose();
                }
                else
                {
                    ReturnReader(reader);
                }
            }
        }
    }

    public Task<T> WriteAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        Enqueue(work, null, cancellationToken);

    public Task<T> WriteAsync<T>(Guid subnetId, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        Enqueue(work, subnetId, cancellationToken);

    public Task<T> WriteAsync<T>(Guid subnetId, IpAddress address, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Writes.EnqueueAsync(work, subnetId, address, cancellationToken);
    }

    public Task<T> WriteAloneAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Writes.EnqueueAloneAsync(work, cancellationToken);
    }

    /// <summary>
    /// Copies the database page by page with SQLite's online backup, on a connection of this store (so it works while
    /// the file is held by this process alone), into <c>NAME.backup-ID.tmp</c> beside the database: the same file
    /// system, which the server can write. The copy is one read transaction, so it is consistent and writes go on;
    /// it is then switched to a rollback journal, so that the file is whole by itself.
    /// </summary>
    public async Task<FileStream> WriteCopyAsync(CancellationToken cancellationToken = default)
    {
        var copyPath = CopyPath(_options.Path, Guid.NewGuid().ToString("N"));
        await _oneCopyAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => Copy(copyPath), cancellationToken).ConfigureAwait(false);
            return new FileStream(copyPath, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (SqliteException e)
        {
            DeleteCopy(copyPath);
            throw new StoreUnavailableException($"The copy of the database could not be written: {e.Message}", e);
        }
        catch
        {
            DeleteCopy(copyPath);
            throw;
        }
        finally
        {
            _oneCopyAtATime.Release();
        }
    }

    private void Copy(string copyPath)
    {
        using var source = new SqliteConnection(_existingFileConnectionString);
        source.Open();
        var destinationName = new SqliteConnectionStringBuilder
        {
            DataSource = SqliteFileName.Of(copyPath, otherProcessesMayRead: true),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        using var destination = new SqliteConnection(destinationName);
        destination.Open();
        source.BackupDatabase(destination);
        Execute(destination, "PRAGMA journal_mode = DELETE;");
    }

    /// <summary>
    /// Deletes the copies (<see cref="WriteCopyAsync"/>) a process killed while copying left beside the database. Only
    /// a holder of the file's lock copies, so none of them is being written now.
    /// </summary>
    private static void DeleteLeftCopies(string databasePath)
    {
        var pattern = CopyPath(databasePath, "*");
        foreach (var copy in Directory.EnumerateFiles(System.IO.Path.GetDirectoryName(pattern)!, System.IO.Path.GetFileName(pattern)))
        {
            DeleteCopy(copy);
        }
    }

    /// <summary>Where copy <paramref name="id"/> of the database is written (a wildcard for every copy).</summary>
    private static string CopyPath(string databasePath, string id) => $"{System.IO.Path.GetFullPath(databasePath)}.backup-{id}.tmp";

    private static void DeleteCopy(string copyPath)
    {
        foreach (var file in new[] { copyPath, copyPath + "-journal", copyPath + "-wal", copyPath + "-shm" })
        {
            File.Delete(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_groupCommit is not null)
        {
            await _groupCommit.DisposeAsync().ConfigureAwait(false);
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync().ConfigureAwait(false);
        }

        DisposeIdleReaders();
        SqliteConnection.ClearAllPools();
        _oneCopyAtATime.Dispose();
        // Last, once every connection of this store is closed.
        _fileLock.Dispose();
    }

    private Task<T> Enqueue<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, Guid? subnetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Writes.EnqueueAsync(work, subnetId, null, cancellationToken);
    }

    private GroupCommitEngine Writes => _groupCommit ?? throw new InvalidOperationException("Call MigrateAsync before writing.");

    /// <summary>An idle reader connection with its prepared statements, or null if none is idle.</summary>
    private SqliteReader? TakeReader()
    {
        if (!_idleReaders.TryPop(out var reader))
        {
            return null;
        }

        Interlocked.Decrement(ref _idleReaderCount);
        return reader;
    }

    private void ReturnReader(SqliteReader reader)
    {
        if (_disposed || Interlocked.Increment(ref _idleReaderCount) > MaxIdleReaders)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _idleReaderCount);
            }

            reader.Dispose();
            return;
        }

        _idleReaders.Push(reader);
        // A reader returned while the store was being disposed must not outlive it.
        if (_disposed)
        {
            DisposeIdleReaders();
        }
    }

    private void DisposeIdleReaders()
    {
        while (TakeReader() is { } reader)
        {
            reader.Dispose();
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private long FreeBytes() =>
        new DriveInfo(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path)) ?? "/").AvailableFreeSpace;

    /// <summary>
    /// The bound, in bytes, to which the writer cuts the WAL file each time the WAL starts over: twice the size at
    /// which the checkpointer asks for a restart, which the WAL overshoots between two of its rounds. Below what the
    /// commits fill between restarts, each cut would make the commits after it extend the file again.
    /// </summary>
    private long WalSizeLimit(SqliteConnection connection)
    {
        const long walHeaderBytes = 32;
        const long frameHeaderBytes = 24;
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        var pageSize = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return walHeaderBytes + (2 * _options.WalResetPages * (pageSize + frameHeaderBytes));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A reader connection and the statements prepared on it; used by one read at a time.</summary>
    private sealed class SqliteReader(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public SqliteCommandCache Commands { get; } = new();

        public void Dispose()
        {
            Commands.Dispose();
            Connection.Dispose();
        }
    }
}
