using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>A test with a directory of its own for <c>ipam.db</c>, removed afterwards, and stores opened on that file.</summary>
public abstract class SqliteFileTestBase : IDisposable
{
    protected string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("ipam-sqlite-file-tests-").FullName;

    protected string DatabasePath => Path.Combine(Directory, "ipam.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A store on <see cref="DatabasePath"/>, migrated.</summary>
    protected async Task<SqliteStore> OpenAsync()
    {
        var store = new SqliteStore(new SqliteStoreOptions { Path = DatabasePath, SynchronousFull = false });
        await store.MigrateAsync();
        return store;
    }
}
