using Ipam.Errors;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through the single <see cref="SqliteWriter"/>;
/// reads use pooled connections on WAL snapshots and never wait for the writer.
/// </summary>
public sealed class SqliteStore : IIpamStore
{
    private readonly string _connectionString;
    private readonly SqliteStoreOptions _options;
    private SqliteWriter? _writer;

    public SqliteStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public bool IsShared => false;

    public string Path => _options.Path;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
            SqliteMigrator.Migrate(connection);
            Execute(connection, $"PRAGMA synchronous = {(_options.SynchronousFull ? "FULL" : "NORMAL")};");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _writer ??= new SqliteWriter(connection, _options.MaxBatchSize);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync((_, _) => ValueTask.FromResult(true), cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    public async Task<T> ReadAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: true);
            using var commands = new SqliteCommandCache();
            var result = await work(new SqliteSession(connection, transaction, commands), cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"The database could not be read: {e.Message}", e);
        }
    }

    public Task<T> WriteAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var writer = _writer ?? throw new InvalidOperationException("Call MigrateAsync before writing.");
        return writer.EnqueueAsync(work, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        SqliteConnection.ClearAllPools();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
