using Ipam.Cli.Commands;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary>Changes the process environment, so its tests must not run beside others that read IPAM_SERVER.</summary>
[Collection(nameof(ServerAddressTests))]
[CollectionDefinition(nameof(ServerAddressTests), DisableParallelization = true)]
public sealed class ServerAddressTests
{
    [Fact]
    public async Task Ipam_server_environment_variable_is_the_default_server()
    {
        var saved = Environment.GetEnvironmentVariable(ClientOptions.ServerVariable);
        Environment.SetEnvironmentVariable(ClientOptions.ServerVariable, "http://127.0.0.1:2");
        try
        {
            var message = (await IpamCli.RunAsync("subnet", "list")).AssertFailed(3);

            Assert.StartsWith("error: cannot reach Ipam at http://127.0.0.1:2: ", message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClientOptions.ServerVariable, saved);
        }
    }

    [Theory]
    [InlineData("notaurl")]
    [InlineData("ftp://127.0.0.1:2")]
    public async Task A_bad_ipam_server_environment_variable_is_refused_in_one_line(string value)
    {
        var saved = Environment.GetEnvironmentVariable(ClientOptions.ServerVariable);
        Environment.SetEnvironmentVariable(ClientOptions.ServerVariable, value);
        try
        {
            var message = (await IpamCli.RunAsync("subnet", "list")).AssertFailed(2);

            Assert.StartsWith("error: $IPAM_SERVER takes an http:// or https:// URL", message, StringComparison.Ordinal);
            Assert.Contains(value, message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClientOptions.ServerVariable, saved);
        }
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("ключ")]
    [InlineData("two words")]
    public async Task A_token_with_a_character_no_token_has_is_refused_in_one_line_without_repeating_it(string token)
    {
        var message = (await IpamCli.RunAsync("subnet", "list", "--server", "http://127.0.0.1:2", "--token", token)).AssertFailed(2);

        Assert.StartsWith("error: the API token (--token or $IPAM_TOKEN) holds", message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_url_with_a_path_prefix_keeps_the_prefix()
    {
        await using var server = await TestServer.StartAsync();

        var message = (await IpamCli.RunAsync("subnet", "list", "--server", server.Url + "/some/prefix")).AssertFailed(1);

        Assert.StartsWith("error: not-found: ", message, StringComparison.Ordinal);
        Assert.Contains("/some/prefix/v1/subnets", message, StringComparison.Ordinal);
    }
}
