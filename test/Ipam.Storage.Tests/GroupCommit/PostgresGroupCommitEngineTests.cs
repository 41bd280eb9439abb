using Ipam.Storage.Postgres;
using Ipam.Storage.Sql.GroupCommit;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// The engine on PostgreSQL with one transaction slot: requests share a transaction without savepoints, and
/// one that fails after writing makes it run again with a savepoint each.
/// </summary>
public sealed class PostgresGroupCommitEngineTests : GroupCommitEngineTests
{
    private string _connectionString = "";

    private protected override async Task<IIpamStore> OpenStoreAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        _connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        return new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, MaxConcurrentBatches = 1 });
    }

    private protected override GroupCommitEngine EngineOf(IIpamStore store) => ((PostgresStore)store).GroupCommit;

    private protected override long CountAllocationsOutside()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM allocations", connection);
        return (long)command.ExecuteScalar()!;
    }
}
