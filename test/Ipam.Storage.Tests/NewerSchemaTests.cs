using System.Reflection;
using Ipam.Errors;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sqlite;
using Ipam.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Storage.Tests;

/// <summary>
/// A database that a newer Ipam migrated is refused at start, on both stores, with one line that says what to do;
/// nothing in it is changed, and it is served again once the newer version is gone from it.
/// </summary>
public sealed class NewerSchemaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-schema-tests-").FullName;

    [Fact]
    public async Task Sqlite_MigratedByANewerIpam_RefusesToStart()
    {
        var path = Path.Combine(_directory, "ipam.db");
        await using (var first = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false }))
        {
            await first.MigrateAsync();
        }

        var newer = Newest(typeof(SqliteStore).Assembly) + 1;
        ExecuteSqlite(path, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({newer}, 'from_the_future', '2030-01-01')");

        await using (var refused = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false }))
        {
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => refused.MigrateAsync());
            AssertNamesBothVersions(error, newer);
        }

        ExecuteSqlite(path, $"DELETE FROM schema_migrations WHERE version = {newer}");
        await using var served = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false });
        await served.MigrateAsync();
        Assert.True(await served.PingAsync());
    }

    [Fact]
    public async Task Postgres_MigratedByANewerIpam_RefusesToStart()
    {
        var cluster = await SharedPostgres.GetAsync();
        var connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        await using (var first = new PostgresStore(connectionString))
        {
            await first.MigrateAsync();
        }

        var newer = Newest(typeof(PostgresStore).Assembly) + 1;
        await ExecutePostgresAsync(connectionString, $"INSERT INTO schema_migrations (version, name) VALUES ({newer}, 'from_the_future')");

        await using (var refused = new PostgresStore(connectionString))
        {
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => refused.MigrateAsync());
            AssertNamesBothVersions(error, newer);
        }

        await ExecutePostgresAsync(connectionString, $"DELETE FROM schema_migrations WHERE version = {newer}");
        await using var served = new PostgresStore(connectionString);
        await served.MigrateAsync();
        Assert.True(await served.PingAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static int Newest(Assembly adapter) => EmbeddedMigrations.Load(adapter).Max(m => m.Version);

    private static void AssertNamesBothVersions(StoreUnavailableException error, int newer)
    {
        Assert.Contains($"has schema version {newer}, newer than this Ipam's {newer - 1}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static void ExecuteSqlite(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task ExecutePostgresAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
