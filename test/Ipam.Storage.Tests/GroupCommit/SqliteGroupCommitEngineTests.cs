using Ipam.Storage.Sql.GroupCommit;
using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>The engine on SQLite: one writer connection; a batch shares its transaction, isolated only after a failed write.</summary>
public sealed class SqliteGroupCommitEngineTests : GroupCommitEngineTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-engine-tests-").FullName;

    private string DatabasePath => Path.Combine(_directory, "ipam.db");

    private protected override void RemoveDatabase()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private protected override Task<IIpamStore> OpenStoreAsync() =>
        Task.FromResult<IIpamStore>(new SqliteStore(new SqliteStoreOptions { Path = DatabasePath, SynchronousFull = false }));

    private protected override GroupCommitEngine EngineOf(IIpamStore store) =>
        ((SqliteStore)store).GroupCommit ?? throw new InvalidOperationException("The store was not migrated.");

    private protected override long CountAllocationsOutside()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM allocations";
        return (long)command.ExecuteScalar()!;
    }
}
