using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary>
/// <c>--server</c> and <c>--token</c> stand before the command as well as after it; the commands that talk to no server
/// refuse them rather than ignore them, and leave them out of their help.
/// </summary>
public sealed class ConnectionOptionsTests
{
    [Fact]
    public async Task Server_and_token_before_the_command_reach_the_server()
    {
        var database = new TempDatabase();
        var admin = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "admin", "--json"))
            .Json().GetProperty("token").GetString()!;
        await using var server = await TestServer.StartAsync(authentication: true, database: database);

        var created = (await IpamCli.RunAsync("--server", server.Url, "--token", admin, "subnet", "create", "10.61.0.0/24", "--json")).Json();
        var listed = (await IpamCli.RunAsync("--server", server.Url, "subnet", "--token", admin, "list", "--json")).Json();

        Assert.Equal(created.GetProperty("id").GetString(), listed.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Contains("unauthenticated", (await IpamCli.RunAsync("--server", server.Url, "subnet", "list")).AssertFailed(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_server_before_the_command_is_a_usage_error_naming_the_option()
    {
        var message = (await IpamCli.RunAsync("--server", "notaurl", "subnet", "list")).AssertFailed(2);

        Assert.StartsWith("error: --server takes an http:// or https:// URL", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--server", "http://127.0.0.1:2", "serve")]
    [InlineData("--token", "secret", "serve")]
    [InlineData("--server", "http://127.0.0.1:2", "completion", "bash")]
    public async Task A_command_that_talks_to_no_server_refuses_the_connection_options(string option, string value, params string[] command)
    {
        foreach (var args in new[] { [option, value, .. command], command.Append(option).Append(value).ToArray() })
        {
            var message = (await IpamCli.RunAsync(args)).AssertFailed(2);

            Assert.StartsWith($"error: {option} is for the commands that talk to a server; ipam {command[0]} ", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("token", "create", "--role", "admin")]
    [InlineData("backup", "copy.db")]
    public async Task A_command_with_database_refuses_the_connection_options(params string[] command)
    {
        using var database = new TempDatabase();

        var result = await IpamCli.RunAsync(["--server", "http://127.0.0.1:2", .. command, "--database", $"sqlite:{database.Path}"]);

        Assert.StartsWith($"error: --server is for the commands that talk to a server; with --database, ipam {command[0]} ",
            result.AssertFailed(2), StringComparison.Ordinal);
        Assert.False(File.Exists(database.Path));
    }

    [Fact]
    public async Task Help_lists_the_connection_options_at_the_root_and_on_client_commands_only()
    {
        var root = (await IpamCli.RunAsync("--help")).AssertOk().Out;
        var list = (await IpamCli.RunAsync("subnet", "list", "--help")).AssertOk().Out;
        var serve = (await IpamCli.RunAsync("serve", "--help")).AssertOk().Out;
        var completion = (await IpamCli.RunAsync("completion", "--help")).AssertOk().Out;

        Assert.All(new[] { root, list }, help => Assert.Contains("--server <URL>", help, StringComparison.Ordinal));
        Assert.All(new[] { root, list }, help => Assert.Contains("--token <TOKEN>", help, StringComparison.Ordinal));
        Assert.All(new[] { serve, completion }, help => Assert.DoesNotContain("--server <URL>", help, StringComparison.Ordinal));
        Assert.All(new[] { serve, completion }, help => Assert.DoesNotContain("--token <TOKEN>", help, StringComparison.Ordinal));
    }
}
