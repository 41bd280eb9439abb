using Ipam.Cli.Tests.Infrastructure;
using Ipam.Storage;
using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Cli.Tests.Commands;

/// <summary><c>ipam serve</c>'s change-log retention and its refusal of a SQLite file another store serves or a newer Ipam migrated.</summary>
public sealed class ServeOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("36501")]
    [InlineData("a-year")]
    public async Task History_days_not_from_1_to_36500_exit_2_with_one_line(string days)
    {
        var message = (await IpamCli.RunAsync("serve", "--history-days", days)).AssertFailed(2);

        Assert.Contains($"--history-days must be an integer from 1 to 36500, not '{days}'.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3s")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("1e3")]
    public async Task Request_timeout_not_seconds_from_above_0_to_3600_exits_2_with_one_line(string seconds)
    {
        var message = (await IpamCli.RunAsync("serve", "--request-timeout", seconds)).AssertFailed(2);

        Assert.Contains($"--request-timeout must be a number of seconds above 0 and at most 3600, not '{seconds}'.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_sharing_other_than_exclusive_or_readers_exits_2_with_one_line_naming_both()
    {
        var message = (await IpamCli.RunAsync("serve", "--sqlite-sharing", "shared")).AssertFailed(2);

        Assert.Contains("'shared'", message, StringComparison.Ordinal);
        Assert.Contains("'exclusive'", message, StringComparison.Ordinal);
        Assert.Contains("'readers'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5080", "127.0.0.1:5080")]
    [InlineData("localhost:5080", "localhost:5080")]
    [InlineData("http://127.0.0.1:0;0.0.0.0:5081", "0.0.0.0:5081")]
    [InlineData("http://", "http://")]
    public async Task Urls_without_a_scheme_exit_2_with_one_line_naming_the_url(string urls, string bad)
    {
        using var database = new TempDatabase();

        var message = (await IpamCli.RunAsync("serve", "--urls", urls, "--database", $"sqlite:{database.Path}", "--show-settings")).AssertFailed(2);

        Assert.Contains($"--urls takes http:// or https:// URLs separated by ';', e.g. http://0.0.0.0:5080, not '{bad}'.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080;https://[::1]:5443")]
    [InlineData("HTTP://localhost:5080")]
    public async Task Urls_that_kestrel_takes_are_accepted(string urls)
    {
        using var database = new TempDatabase();

        var settings = (await IpamCli.RunAsync("serve", "--urls", urls, "--database", $"sqlite:{database.Path}", "--show-settings")).AssertOk().Out;

        Assert.Contains(urls, settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_shows_history_days_and_its_default()
    {
        var help = (await IpamCli.RunAsync("serve", "--help")).AssertOk().Out;

        Assert.Contains("--history-days <DAYS>", help, StringComparison.Ordinal);
        Assert.Contains("[default: 400]", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_sqlite_file_another_store_serves_exits_1_with_one_line_naming_it()
    {
        using var database = new TempDatabase();
        await using var holder = new SqliteStore(new SqliteStoreOptions { Path = database.Path, SynchronousFull = false });

        var message = (await IpamCli.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--database", $"sqlite:{database.Path}")).AssertFailed(1);

        Assert.Contains($"the SQLite database {database.Path} is already served by another process", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_database_a_newer_ipam_migrated_exits_1_with_one_line()
    {
        using var database = new TempDatabase();
        await using (var store = new SqliteStore(new SqliteStoreOptions { Path = database.Path, SynchronousFull = false }))
        {
            await store.MigrateAsync();
        }

        var newer = EmbeddedMigrations.Load(typeof(SqliteStore).Assembly).Max(m => m.Version) + 1;
        using (var connection = new SqliteConnection($"Data Source={database.Path};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({newer}, 'later', '2030-01-01')";
            insert.ExecuteNonQuery();
        }

        var message = (await IpamCli.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--database", $"sqlite:{database.Path}")).AssertFailed(1);

        Assert.Contains($"has schema version {newer}, newer than this Ipam's {newer - 1}", message, StringComparison.Ordinal);
    }
}
