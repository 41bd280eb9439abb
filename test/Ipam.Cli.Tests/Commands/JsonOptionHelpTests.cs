using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary>
/// <c>--json</c> says what it prints for each command: commands whose request the server answers with no body, and
/// those that print something other than one response, do not promise the server's response pretty-printed.
/// </summary>
public sealed class JsonOptionHelpTests
{
    [Theory]
    [InlineData("Print nothing when it succeeds", "release")]
    [InlineData("Print nothing when it succeeds", "subnet", "delete")]
    [InlineData("Print nothing when it succeeds", "pool", "delete")]
    [InlineData("Print nothing when it succeeds", "scope", "delete")]
    [InlineData("Print nothing when it succeeds", "token", "revoke")]
    [InlineData("Print no confirmation line", "export")]
    [InlineData("Print the copy's path and size as JSON", "backup")]
    [InlineData("Print the subnet's usage object", "usage")]
    public async Task Json_help_says_what_the_command_prints(string expected, params string[] command)
    {
        var help = (await IpamCli.RunAsync([.. command, "--help"])).AssertOk().Out;

        Assert.Contains(expected, help, StringComparison.Ordinal);
        Assert.DoesNotContain("pretty-printed", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_help_of_a_command_printing_one_response_says_so()
    {
        var help = (await IpamCli.RunAsync("subnet", "show", "--help")).AssertOk().Out;

        Assert.Contains("Print the server's JSON response, pretty-printed", help, StringComparison.Ordinal);
    }
}
