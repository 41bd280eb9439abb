using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>
/// The store's online copy (<see cref="IOnlineBackup"/>): a whole database file of its own beside the database, and
/// copies a killed process left there are deleted when the file is next opened.
/// </summary>
public sealed class SqliteCopyTests : SqliteFileTestBase
{
    [Fact]
    public async Task WriteCopy_IsAWholeDatabaseBesideTheFile_WithoutAJournal_DeletedWithItsStream()
    {
        await using var store = await OpenAsync();

        string copy;
        await using (var stream = await store.WriteCopyAsync(TestContext.Current.CancellationToken))
        {
            copy = stream.Name;
            Assert.Equal(Directory, Path.GetDirectoryName(copy));
            Assert.Matches(@"^ipam\.db\.backup-[0-9a-f]{32}\.tmp$", Path.GetFileName(copy));
            using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
            connection.Open();
            Assert.Equal("delete", Scalar(connection, "PRAGMA journal_mode"));
            Assert.Equal(CountMigrations(DatabasePath), Scalar(connection, "SELECT count(*) FROM schema_migrations"));
            Assert.False(File.Exists(copy + "-wal"));
        }

        Assert.False(File.Exists(copy));
    }

    [Fact]
    public async Task Open_DeletesCopiesLeftBesideTheFile_AndNoOthers()
    {
        var left = Path.Combine(Directory, $"ipam.db.backup-{Guid.NewGuid():N}.tmp");
        var otherDatabases = Path.Combine(Directory, $"other.db.backup-{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(left, "half a copy", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(left + "-journal", "its journal", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(otherDatabases, "another database's copy", TestContext.Current.CancellationToken);

        await using var store = await OpenAsync();

        Assert.False(File.Exists(left));
        Assert.False(File.Exists(left + "-journal"));
        Assert.True(File.Exists(otherDatabases));
    }

    private static object? CountMigrations(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return Scalar(connection, "SELECT count(*) FROM schema_migrations");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
