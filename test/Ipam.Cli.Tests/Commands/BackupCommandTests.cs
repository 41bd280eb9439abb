using Ipam.Cli.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Data.Sqlite;

namespace Ipam.Cli.Tests.Commands;

public sealed class BackupCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-cli-backup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string CopyPath => Path.Combine(_directory, "copy.db");

    [Fact]
    public async Task Backup_writes_a_copy_holding_the_servers_allocations_and_says_where()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.31.0.0/24");
        (await server.RunAsync("allocate", id, "--count", "7")).AssertOk();

        var line = Assert.Single((await server.RunAsync("backup", CopyPath)).AssertOk().Lines);

        Assert.Matches(@$"^Wrote a consistent copy of the database to {CopyPath.Replace(".", "\\.", StringComparison.Ordinal)} \(\d+(\.\d)? KiB\)\.$", line);
        Assert.Equal(7, Count(CopyPath, $"SELECT count(*) FROM allocations"));
        Assert.Equal([CopyPath], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Backup_onto_an_existing_file_exits_2_and_leaves_it_unless_forced()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateSubnetAsync("10.32.0.0/24");
        await File.WriteAllTextAsync(CopyPath, "an older file", TestContext.Current.CancellationToken);

        var refused = (await server.RunAsync("backup", CopyPath)).AssertFailed(2);

        Assert.Equal($"error: {CopyPath} exists; add --force to replace it", refused);
        Assert.Equal("an older file", await File.ReadAllTextAsync(CopyPath, TestContext.Current.CancellationToken));

        var json = (await server.RunAsync("backup", CopyPath, "--force", "--json")).Json();
        Assert.Equal(CopyPath, json.GetProperty("path").GetString());
        Assert.Equal(new FileInfo(CopyPath).Length, json.GetProperty("bytes").GetInt64());
        Assert.Equal(1, Count(CopyPath, "SELECT count(*) FROM subnets"));
    }

    [Fact]
    public async Task Backup_forced_over_the_served_database_exits_2_and_leaves_it()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.33.0.0/24");
        var link = Path.Combine(_directory, "link.db");
        File.CreateSymbolicLink(link, server.DatabasePath);

        var direct = (await server.RunAsync("backup", server.DatabasePath, "--force")).AssertFailed(2);
        var throughLink = (await server.RunAsync("backup", link, "--force")).AssertFailed(2);

        Assert.Contains("is the database a running server serves", direct, StringComparison.Ordinal);
        Assert.Contains("is the database a running server serves", throughLink, StringComparison.Ordinal);
        (await server.RunAsync("allocate", id, "--count", "3")).AssertOk();
        Assert.Equal(3, Count(server.DatabasePath, "SELECT count(*) FROM allocations"));
    }

    [Fact]
    public async Task Backup_into_a_missing_directory_exits_2()
    {
        await using var server = await TestServer.StartAsync();
        var missing = Path.Combine(_directory, "missing");

        var refused = (await server.RunAsync("backup", Path.Combine(missing, "copy.db"))).AssertFailed(2);

        Assert.Equal($"error: the directory {missing} does not exist", refused);
    }

    [Fact]
    public async Task Backup_of_a_server_on_postgresql_exits_1_naming_pg_dump_and_writes_nothing()
    {
        await using var server = await TestServer.StartAsync(postgresUrl: await (await SharedPostgres.GetAsync()).CreateDatabaseUrlAsync());

        var refused = (await server.RunAsync("backup", CopyPath)).AssertFailed(1);

        Assert.Contains("pg_dump", refused, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Backup_with_a_member_token_exits_1_forbidden_and_writes_nothing()
    {
        var database = new TempDatabase();
        var member = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "member", "--tenant", "acme", "--json"))
            .Json().GetProperty("token").GetString()!;
        await using var server = await TestServer.StartAsync(authentication: true, database: database);

        var refused = (await server.RunAsync("backup", CopyPath, "--token", member)).AssertFailed(1);

        Assert.Contains("forbidden", refused, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Backup_with_database_copies_a_file_no_server_serves()
    {
        var source = Path.Combine(_directory, "source.db");
        (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{source}", "--role", "admin", "--json")).Json();

        (await IpamCli.RunAsync("backup", CopyPath, "--database", $"sqlite:{source}")).AssertOk();

        Assert.Equal(1, Count(CopyPath, "SELECT count(*) FROM tokens"));
        Assert.Equal([CopyPath, source, source + ".lock"], Directory.GetFiles(_directory).Order());
    }

    [Fact]
    public async Task Backup_with_database_of_a_file_a_server_serves_exits_1_and_says_to_ask_the_server()
    {
        await using var server = await TestServer.StartAsync();

        var refused = (await IpamCli.RunAsync("backup", CopyPath, "--database", $"sqlite:{server.DatabasePath}")).AssertFailed(1);

        Assert.Equal(
            $"error: a server is serving sqlite:{server.DatabasePath} (it holds {server.DatabasePath}.lock); leave out --database, and ipam backup asks that server for the copy",
            refused);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Backup_with_database_of_a_missing_file_exits_1_and_creates_nothing()
    {
        var missing = Path.Combine(_directory, "missing.db");

        var refused = (await IpamCli.RunAsync("backup", CopyPath, "--database", $"sqlite:{missing}")).AssertFailed(1);

        Assert.Equal($"error: {missing} does not exist: there is no database to copy", refused);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    private static long Count(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
