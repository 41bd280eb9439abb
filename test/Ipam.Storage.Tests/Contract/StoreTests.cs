using System.Data.Common;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql;
using Ipam.Storage.Sqlite;
using Ipam.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// A fresh, migrated store per test: a SQLite file in a temporary directory, or a new database in the shared
/// throwaway PostgreSQL cluster (skipped with the reason without PostgreSQL, failed under CI).
/// </summary>
public abstract class StoreTests(StoreKind kind) : IAsyncLifetime
{
    private IIpamStore? _store;
    private string? _directory;
    private string? _connectionString;
    private PostgresCluster? _cluster;

    protected IIpamStore Store => _store ?? throw new InvalidOperationException("The store has not been opened.");

    protected StoreKind Kind => kind;

    /// <summary>The connection string of the store's database, for opening more stores on it.</summary>
    protected string ConnectionString => _connectionString ?? throw new InvalidOperationException("The store has not been opened.");

    public virtual async ValueTask InitializeAsync()
    {
        if (kind == StoreKind.Sqlite)
        {
            _directory = Directory.CreateTempSubdirectory("ipam-store-tests-").FullName;
            var path = Path.Combine(_directory, "ipam.db");
            _store = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false });
            _connectionString = $"Data Source={path};Foreign Keys=True;Pooling=False";
        }
        else
        {
            _cluster = await SharedPostgres.GetAsync();
            _connectionString = _cluster.ConnectionStringFor(await _cluster.CreateDatabaseUrlAsync());
            _store = new PostgresStore(_connectionString);
        }

        await _store.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await DropDatabaseAsync(_cluster, _connectionString!);
        }

        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Drops the test's database, so the cluster stays small and stops quickly when the tests end.</summary>
    private static async Task DropDatabaseAsync(PostgresCluster cluster, string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var admin = new NpgsqlConnection(cluster.ConnectionStringFor("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    internal SqlDialect Dialect => kind == StoreKind.Sqlite ? SqliteDialect.Instance : PostgresDialect.Instance;

    /// <summary>A connection of its own to the store's database, for looking at a session from outside the store.</summary>
    protected async Task<DbConnection> OpenConnectionAsync()
    {
        DbConnection connection = kind == StoreKind.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of its own, as an operator or another program would.</summary>
    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    protected Task<T> ReadAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work) =>
        Store.ReadAsync(work, TestContext.Current.CancellationToken);

    protected Task<T> WriteAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work) =>
        Store.WriteAsync(work, TestContext.Current.CancellationToken);

    /// <summary>Folds up to <paramref name="limit"/> changes into the usage counters, as the background fold does; returns how many it took.</summary>
    protected Task<int> FoldAsync(int limit = 100_000) =>
        Store.WriteAloneAsync((s, ct) => s.FoldUsageAsync(limit, ct), TestContext.Current.CancellationToken);

    /// <summary>Runs a write that returns nothing.</summary>
    protected Task WriteAsync(Func<IIpamSession, CancellationToken, ValueTask> work) =>
        Store.WriteAsync(async (session, ct) =>
        {
            await work(session, ct);
            return true;
        }, TestContext.Current.CancellationToken);
}
