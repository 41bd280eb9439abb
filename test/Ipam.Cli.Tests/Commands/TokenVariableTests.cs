using Ipam.Cli.Commands;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary>Changes the process environment, so it runs in the collection that runs alone.</summary>
[Collection(nameof(ServerAddressTests))]
public sealed class TokenVariableTests
{
    [Fact]
    public async Task Ipam_token_environment_variable_is_sent_when_no_token_option_is_given()
    {
        var database = new TempDatabase();
        var admin = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "admin", "--json"))
            .Json().GetProperty("token").GetString()!;
        await using var server = await TestServer.StartAsync(authentication: true, database: database);
        var saved = Environment.GetEnvironmentVariable(ClientOptions.TokenVariable);
        Environment.SetEnvironmentVariable(ClientOptions.TokenVariable, admin);
        try
        {
            (await server.RunAsync("subnet", "list")).AssertOk();
            Assert.Contains("unauthenticated", (await server.RunAsync("subnet", "list", "--token", "ipam_wrong")).AssertFailed(1), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClientOptions.TokenVariable, saved);
        }
    }
}
