using Ipam.Errors;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>One store per SQLite file: a second one refuses to start while the first serves it, and may once it is gone.</summary>
public sealed class SqliteFileLockTests : SqliteFileTestBase
{
    [Fact]
    public async Task Open_FileServedByAnotherStore_RefusesNamingTheFile_AndTheFirstKeepsWorking()
    {
        await using var first = await OpenAsync();

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(OpenAsync);

        Assert.Contains(Path.GetFullPath(DatabasePath), refused.Message, StringComparison.Ordinal);
        Assert.Contains("already served by another process", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.True(await first.WriteAsync((session, ct) => ValueTask.FromResult(true)));
        Assert.True(await first.PingAsync());
    }

    [Fact]
    public async Task Open_AfterTheFirstStoreIsDisposed_Succeeds()
    {
        await using (var first = await OpenAsync())
        {
            await first.MigrateAsync();
        }

        await using var second = await OpenAsync();
        Assert.True(await second.PingAsync());
    }

    [Fact]
    public async Task Open_AfterAFailedAttempt_SucceedsOnceTheFileIsFree()
    {
        var first = await OpenAsync();
        await Assert.ThrowsAsync<StoreUnavailableException>(OpenAsync);

        await first.DisposeAsync();
        await using var second = await OpenAsync();

        Assert.True(await second.PingAsync());
    }

    [Fact]
    public async Task ReadOnlyConnection_WhileTheStoreServesTheFile_ReadsIt()
    {
        await using var store = await OpenAsync();

        using var reader = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        reader.Open();
        using var count = reader.CreateCommand();
        count.CommandText = "SELECT count(*) FROM schema_migrations";

        Assert.True((long)count.ExecuteScalar()! > 0);
    }
}
