using System.Globalization;
using System.Text.RegularExpressions;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary>Bad command lines exit 2 before any request: the server given here does not exist (it would be exit 3).</summary>
public sealed class CommandLineErrorTests
{
    private const string Subnet = "0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70";
    private const string NoServer = "http://127.0.0.1:1";

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { [], "Required command" },
        { ["subnet"], "Required command" },
        { ["frobnicate"], "frobnicate" },
        { ["subnet", "show"], "Required argument missing" },
        { ["subnet", "show", "not-a-uuid"], "'not-a-uuid' is not a subnet id" },
        { ["subnet", "create", "10.0.0.0/24", "--pool", "10.0.0.5"], "--pool takes START-END" },
        { ["subnet", "create", "10.0.0.0/24", "--pool", "10.0.0.5-10.0.0.300"], "--pool takes START-END" },
        { ["subnet", "create", "10.0.0.0/24", "--gateway", "10.1"], "--gateway takes an IP address or 'none'" },
        { ["subnet", "create", "2001:db8::/64", "--ipv6-address-mode", "dhcp"], "dhcp" },
        { ["subnet", "list", "--ip-version", "5"], "5" },
        { ["subnet", "list", "--limit", "0"], "--limit must be an integer from 1 to 1000" },
        { ["subnet", "list", "--limit", "abc"], "abc" },
        { ["subnet", "update", Subnet], "Nothing to update" },
        { ["subnet", "update", Subnet, "--pool", "10.0.0.2-10.0.0.9", "--no-pools"], "not both" },
        { ["allocate", Subnet, "--strategy", "first"], "first" },
        { ["allocate", Subnet, "--count", "0"], "--count must be an integer from 1 to 10000, not '0'" },
        { ["allocate", Subnet, "--count", "10001"], "--count must be an integer from 1 to 10000, not '10001'" },
        { ["allocate", Subnet, "--ip", "10.0.0.5", "--mac", "fa:16:3e:00:11:22"], "not both" },
        { ["allocate", Subnet, "--ip", "10.0.0.5", "--strategy", "next"], "only without --ip" },
        { ["allocate", Subnet, "--allow-gateway"], "only with --ip" },
        { ["allocate", Subnet, "--ip", "banana"], "'banana' is not an IP address" },
        { ["allocate", Subnet, "--expires-at", "tomorrow"], "not an RFC 3339 date and time" },
        { ["allocate", Subnet, "--expires-at", "2026-05-01"], "not an RFC 3339 date and time" },
        { ["release", Subnet, "10.0.0.999"], "is not an IP address" },
        { ["serve", "--database", "mysql://db/ipam"], "Unknown database" },
        { ["serve", "--database", "sqlite:"], "needs a file path" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task Bad_command_lines_exit_2_with_one_line(string[] args, string expected)
    {
        var serverArgs = args.Length > 0 && args[0] is "serve" or "frobnicate" || args.Length < 2 ? [] : new[] { "--server", NoServer };

        var message = (await IpamCli.RunAsync([.. args, .. serverArgs])).AssertFailed(2);

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_an_http_url_is_a_usage_error()
    {
        var message = (await IpamCli.RunAsync("subnet", "list", "--server", "ftp://example")).AssertFailed(2);

        Assert.Contains("--server takes an http:// or https:// URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_server_exits_3()
    {
        var message = (await IpamCli.RunAsync("subnet", "list", "--server", NoServer)).AssertFailed(3);

        Assert.StartsWith($"error: cannot reach Ipam at {NoServer}: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_examples()
    {
        var root = await IpamCli.RunAsync("--help");
        var allocate = await IpamCli.RunAsync("allocate", "--help");
        var show = await IpamCli.RunAsync("subnet", "show", "--help");

        root.AssertOk();
        foreach (var command in new[] { "serve", "subnet", "allocate", "release", "allocations", "usage" })
        {
            Assert.Contains($"  {command}", root.Out, StringComparison.Ordinal);
        }

        Assert.Contains("Examples:", root.Out, StringComparison.Ordinal);
        allocate.AssertOk();
        Assert.Contains("--strategy <random|next>", allocate.Out, StringComparison.Ordinal);
        Assert.Contains("--server <URL>", allocate.Out, StringComparison.Ordinal);
        Assert.Contains("ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --mac", allocate.Out, StringComparison.Ordinal);
        show.AssertOk();
        Assert.Contains(" subnet show <ID> [options]", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_exit_code_and_gives_expiry_examples_in_the_future()
    {
        var root = Regex.Replace((await IpamCli.RunAsync("--help")).AssertOk().Out, @"\s+", " ");
        var allocate = (await IpamCli.RunAsync("allocate", "--help")).AssertOk().Out;
        var badTime = (await IpamCli.RunAsync("allocate", Subnet, "--expires-at", "tomorrow", "--server", NoServer)).AssertFailed(2);

        Assert.Contains("0 ok, 1 ", root, StringComparison.Ordinal);
        Assert.Contains("2 bad command line, 3 server unreachable, 4 ipam check found differences.", root, StringComparison.Ordinal);
        var times = Regex.Matches(allocate + badTime, @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z");
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.True(DateTimeOffset.Parse(t.Value, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddYears(50), t.Value));
    }

    public static TheoryData<string[]> LongValues => new()
    {
        { ["subnet", "show", Long, "--server", NoServer] },
        { ["allocate", Subnet, "--ip", Long, "--server", NoServer] },
        { ["allocate", Subnet, "--expires-at", Long, "--server", NoServer] },
        { ["subnet", "create", "10.0.0.0/24", "--pool", $"10.0.0.5-10.0.0.9,{Long}", "--server", NoServer] },
        { ["subnet", "list", "--limit", Long, "--server", NoServer] },
        { ["token", "create", "--role", Long, "--server", NoServer] },
        { [Long] },
    };

    private static string Long => new('x', 100_000);

    [Theory]
    [MemberData(nameof(LongValues))]
    public async Task A_long_bad_value_is_quoted_cut_to_100_characters_with_its_length(string[] args)
    {
        var message = (await IpamCli.RunAsync(args)).AssertFailed(2);

        Assert.Contains($"'{new string('x', 100)}…' (100000 characters)", message, StringComparison.Ordinal);
        Assert.True(message.Length < 500, $"{message.Length} characters");
    }

    /// <summary>Bytes that are not UTF-8 reach the program as U+FFFD; stored, the owner would not be the one typed.</summary>
    [Fact]
    public async Task An_argument_that_was_not_utf8_is_refused_before_anything_is_sent()
    {
        var message = (await IpamCli.RunAsync("allocate", Subnet, "--owner", "\uFFFD\uFFFD bad", "--server", NoServer)).AssertFailed(2);

        Assert.StartsWith("error: argument 4 ('\uFFFD\uFFFD bad') is not valid UTF-8", message, StringComparison.Ordinal);
    }
}
