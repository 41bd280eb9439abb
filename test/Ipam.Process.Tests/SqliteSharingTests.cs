using Microsoft.Data.Sqlite;

namespace Ipam.Process.Tests;

/// <summary>
/// <c>ipam serve --sqlite-sharing</c>: by default the server holds its SQLite file alone, and another process that opens
/// it is told the database is locked; with <c>readers</c>, another process reads what the server committed.
/// </summary>
public sealed class SqliteSharingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-sharing-").FullName;

    private string DatabasePath => Path.Combine(_directory, "ipam.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_ByDefault_AnotherProcessReadingTheFileIsToldItIsLocked()
    {
        await using var server = await ServerProcess.StartAsync($"sqlite:{DatabasePath}");
        await Consistency.CreateSubnetAsync(server.Client, "10.20.0.0/24");

        var refused = await Assert.ThrowsAsync<SqliteException>(CountSubnetsAsync);

        Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY
        Assert.False(File.Exists(DatabasePath + "-shm"), "the WAL index is kept in the server's memory, not in a -shm file");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Serve_WithReaders_AnotherProcessReadsWhatTheServerCommitted()
    {
        await using var server = await ServerProcess.StartAsync($"sqlite:{DatabasePath}", "--sqlite-sharing", "readers");
        await Consistency.CreateSubnetAsync(server.Client, "10.20.0.0/24");
        await Consistency.CreateSubnetAsync(server.Client, "10.21.0.0/24");

        Assert.Equal(2, await CountSubnetsAsync());
    }

    [Fact]
    public async Task Serve_ByDefault_TheFileIsOpenToOthersOnceTheServerIsGone()
    {
        await using (var server = await ServerProcess.StartAsync($"sqlite:{DatabasePath}"))
        {
            await Consistency.CreateSubnetAsync(server.Client, "10.20.0.0/24");
            server.Kill();
        }

        // The last commit is in the WAL only; this process's connection recovers it from there.
        Assert.Equal(1, await CountSubnetsAsync());
    }

    [Fact]
    public async Task Serve_ByDefault_IpamBackupCopiesTheFileTheServerHolds()
    {
        await using var server = await ServerProcess.StartAsync($"sqlite:{DatabasePath}");
        await Consistency.CreateSubnetAsync(server.Client, "10.20.0.0/24");
        await Consistency.CreateSubnetAsync(server.Client, "10.21.0.0/24");
        var copy = Path.Combine(_directory, "copy.db");

        var (exitCode, output) = await ServerProcess.RunCliAsync("backup", copy, "--server", server.Address.ToString());

        Assert.True(exitCode == 0, output);
        Assert.Equal(2, await CountSubnetsAsync(copy));
        await Assert.ThrowsAsync<SqliteException>(() => CountSubnetsAsync(DatabasePath));
    }

    /// <summary>Counts the subnets on a connection of this process, giving up after a second of "database is locked".</summary>
    private Task<long> CountSubnetsAsync() => CountSubnetsAsync(DatabasePath);

    private static async Task<long> CountSubnetsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM subnets";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
