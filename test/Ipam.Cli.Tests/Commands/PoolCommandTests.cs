using System.Net.Http.Json;
using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed class PoolCommandTests
{
    private const string SomeId = "0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70";
    private const string NoServer = "http://127.0.0.1:1";

    [Fact]
    public async Task Pool_create_list_show_update_available_delete_round_trip()
    {
        await using var server = await TestServer.StartAsync();

        var created = (await server.RunAsync(
            "pool", "create", "tenants", "--prefix", "10.10.0.0/16", "--prefix", "192.168.1.0/24",
            "--min-prefixlen", "21", "--quota", "4096", "--tenant", "acme")).AssertOk();
        Assert.Contains("10.10.0.0/16", created.Out, StringComparison.Ordinal);
        Assert.Contains("default /21, min /21, max /32", created.Out, StringComparison.Ordinal);
        Assert.Contains("4,096 addresses", created.Out, StringComparison.Ordinal);
        var id = (await server.RunAsync("pool", "list", "--json")).Json().GetProperty("items")[0].GetProperty("id").GetString()!;

        var list = (await server.RunAsync("pool", "list", "--tenant", "acme")).AssertOk();
        var row = Assert.Single(list.Lines, l => l.Contains(id, StringComparison.Ordinal));
        Assert.Contains("tenants", row, StringComparison.Ordinal);
        Assert.Contains("10.10.0.0/16, 192.168.1.0/24", row, StringComparison.Ordinal);
        Assert.Contains("No subnet pools.", (await server.RunAsync("pool", "list", "--tenant", "nobody")).AssertOk().Out, StringComparison.Ordinal);

        var show = (await server.RunAsync("pool", "show", id)).AssertOk();
        Assert.Contains("IPv4", show.Out, StringComparison.Ordinal);

        var updated = (await server.RunAsync(
            "pool", "update", id, "--name", "t2", "--add-prefix", "10.11.0.0/16", "--default-prefixlen", "24", "--max-prefixlen", "28", "--quota", "none")).AssertOk();
        Assert.Contains("t2", updated.Out, StringComparison.Ordinal);
        Assert.Contains("10.10.0.0/15", updated.Out, StringComparison.Ordinal);
        Assert.Contains("default /24, min /21, max /28", updated.Out, StringComparison.Ordinal);
        var json = (await server.RunAsync("pool", "show", id, "--json")).Json();
        Assert.Equal(JsonValueKind.Null, json.GetProperty("default_quota").ValueKind);

        var available = (await server.RunAsync("pool", "available", id)).AssertOk();
        Assert.Equal(["10.10.0.0/15", "192.168.1.0/24"], available.Lines);
        var availableJson = (await server.RunAsync("pool", "available", id, "--json")).Json();
        Assert.Equal(2, availableJson.GetProperty("prefixes").GetArrayLength());

        var deleted = (await server.RunAsync("pool", "delete", id)).AssertOk();
        Assert.Contains($"Deleted subnet pool {id}.", deleted.Out, StringComparison.Ordinal);
        var gone = (await server.RunAsync("pool", "show", id)).AssertFailed(1);
        Assert.StartsWith("error: subnet-pool-not-found: ", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_of_another_kind_is_named_as_what_it_is()
    {
        await using var server = await TestServer.StartAsync();
        var subnet = await server.CreateSubnetAsync("10.12.0.0/24");
        var pool = (await server.RunAsync("pool", "create", "p", "--prefix", "10.13.0.0/16", "--json")).Json().GetProperty("id").GetString()!;
        var scope = (await server.RunAsync("scope", "create", "s", "--ip-version", "4", "--json")).Json().GetProperty("id").GetString()!;

        var usageOfPool = (await server.RunAsync("usage", pool)).AssertFailed(1);
        var subnetAsPool = (await server.RunAsync("subnet", "create", "--pool", subnet)).AssertFailed(1);
        var scopeAsPool = (await server.RunAsync("pool", "show", scope, "--json")).AssertFailed(1);
        var unknown = (await server.RunAsync("subnet", "show", SomeId)).AssertFailed(1);

        Assert.EndsWith($"; {pool} is a subnet pool ('ipam pool show {pool}')", usageOfPool, StringComparison.Ordinal);
        Assert.StartsWith("error: subnet-pool-not-found: ", subnetAsPool, StringComparison.Ordinal);
        Assert.EndsWith($"; {subnet} is a subnet ('ipam subnet show {subnet}')", subnetAsPool, StringComparison.Ordinal);
        Assert.EndsWith($"; {scope} is an address scope ('ipam scope show {scope}')", scopeAsPool, StringComparison.Ordinal);
        Assert.DoesNotContain(" is a ", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subnet_create_from_pool_takes_best_fit_prefixlen_or_specific_cidr()
    {
        await using var server = await TestServer.StartAsync();
        var pool = (await server.RunAsync("pool", "create", "p", "--prefix", "10.10.0.0/16,192.168.1.0/24", "--min-prefixlen", "21", "--json"))
            .Json().GetProperty("id").GetString()!;

        var first = (await server.RunAsync("subnet", "create", "--pool", pool, "--json")).Json();
        var second = (await server.RunAsync("subnet", "create", "--pool", pool, "--prefixlen", "24", "--name", "small", "--tenant", "acme", "--json")).Json();
        var specific = (await server.RunAsync("subnet", "create", "10.10.200.0/24", "--pool", pool, "--gateway", "10.10.200.254")).AssertOk();

        Assert.Equal("10.10.0.0/21", first.GetProperty("cidr").GetString());
        Assert.Equal(pool, first.GetProperty("subnet_pool_id").GetString());
        Assert.Equal("192.168.1.0/24", second.GetProperty("cidr").GetString());
        Assert.Equal("small", second.GetProperty("name").GetString());
        Assert.Contains("10.10.200.0/24 (IPv4)", specific.Out, StringComparison.Ordinal);
        Assert.Contains($"Subnet pool", specific.Out, StringComparison.Ordinal);
        Assert.Contains("10.10.200.254", specific.Out, StringComparison.Ordinal);

        var taken = (await server.RunAsync("subnet", "create", "10.10.200.0/25", "--pool", pool)).AssertFailed(1);
        Assert.StartsWith("error: prefix-unavailable: ", taken, StringComparison.Ordinal);
        var bounds = (await server.RunAsync("subnet", "create", "--pool", pool, "--prefixlen", "20")).AssertFailed(1);
        Assert.Contains("minimum allowed prefix is 21", bounds, StringComparison.Ordinal);

        var available = (await server.RunAsync("pool", "available", pool)).AssertOk();
        Assert.DoesNotContain("192.168.1.0/24", available.Out, StringComparison.Ordinal);
        Assert.Contains("10.10.8.0/21", available.Lines);
    }

    [Fact]
    public async Task Subnet_create_from_pool_with_allocation_pool_ranges()
    {
        await using var server = await TestServer.StartAsync();
        var pool = (await server.RunAsync("pool", "create", "p", "--prefix", "10.20.0.0/24", "--min-prefixlen", "24", "--json")).Json().GetProperty("id").GetString()!;

        var json = (await server.RunAsync("subnet", "create", "--pool", pool, "--pool", "10.20.0.10-10.20.0.19", "--json")).Json();

        Assert.Equal("10.20.0.0/24", json.GetProperty("cidr").GetString());
        Assert.Equal(10, json.GetProperty("usage").GetProperty("total").GetInt32());
        Assert.Empty((await server.RunAsync("pool", "available", pool)).AssertOk().Out);
        Assert.Contains("No free prefixes", (await server.RunAsync("pool", "available", pool)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_available_MoreThanOnePageOfFreePrefixes_PrintsEveryPage()
    {
        await using var server = await TestServer.StartAsync();
        var pool = (await server.RunAsync("pool", "create", "scattered", "--prefix", "fd70::/48", "--min-prefixlen", "48", "--json")).Json().GetProperty("id").GetString()!;
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var taken = Enumerable.Range(1, 20).Select(i => Ipam.Addressing.Cidr.Parse($"fd70:0:0:{i * 0x0c0d:x}::{i * 7:x}/128")).ToList();
        foreach (var cidr in taken)
        {
            var response = await http.PostAsJsonAsync("/v1/subnets", new { subnet_pool_id = pool, cidr = cidr.ToString() }, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }

        var free = Ipam.Addressing.RangeSet.Of(Ipam.Addressing.Cidr.Parse("fd70::/48").Range)
            .Except(Ipam.Addressing.RangeSet.Of(Ipam.Addressing.IpVersion.V6, taken.Select(c => c.Range))).ToCidrs().Select(c => c.ToString()).ToList();
        Assert.True(free.Count > 1000, $"only {free.Count} free prefixes: the list fits one page");

        Assert.Equal(free, (await server.RunAsync("pool", "available", pool)).AssertOk().Lines);
        var json = (await server.RunAsync("pool", "available", pool, "--json")).Json();
        Assert.Equal(free, json.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next").ValueKind);
    }

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["subnet", "create"], "Give a CIDR, or --pool SUBNET_POOL_ID" },
        { ["subnet", "create", "10.0.0.0/24", "--prefixlen", "24"], "--prefixlen needs --pool SUBNET_POOL_ID" },
        { ["subnet", "create", "--pool", SomeId, "--prefixlen", "129"], "--prefixlen must be an integer from 0 to 128" },
        { ["subnet", "create", "--pool", SomeId, "--pool", "1f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"], "more than one subnet pool" },
        { ["pool", "create", "p"], "--prefix" },
        { ["pool", "create", "p", "--prefix", "10.0.0.0/8", "--quota", "-1"], "--quota takes a non-negative integer" },
        { ["pool", "create", "p", "--prefix", "10.0.0.0/8", "--scope", "blue"], "'blue' is not an address scope id" },
        { ["pool", "show", "nope"], "'nope' is not a subnet pool id" },
        { ["pool", "update", SomeId], "Nothing to update" },
        { ["pool", "update", SomeId, "--quota", "lots"], "--quota takes a non-negative integer or 'none'" },
        { ["pool", "update", SomeId, "--scope", "x"], "--scope takes an address scope id" },
        { ["pool", "available"], "Required argument missing" },
        { ["scope", "create", "s"], "--ip-version" },
        { ["scope", "create", "s", "--ip-version", "5"], "5" },
        { ["scope", "delete", "x"], "'x' is not an address scope id" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task Bad_command_lines_exit_2_with_one_line(string[] args, string expected)
    {
        var message = (await IpamCli.RunAsync([.. args, "--server", NoServer])).AssertFailed(2);

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_pool_and_scope_commands_with_examples()
    {
        var root = (await IpamCli.RunAsync("--help")).AssertOk();
        var pool = (await IpamCli.RunAsync("pool", "--help")).AssertOk();
        var create = (await IpamCli.RunAsync("subnet", "create", "--help")).AssertOk();

        Assert.Contains("  pool", root.Out, StringComparison.Ordinal);
        Assert.Contains("  scope", root.Out, StringComparison.Ordinal);
        foreach (var command in new[] { "create", "list", "show", "update", "delete", "available" })
        {
            Assert.Contains($"  {command}", pool.Out, StringComparison.Ordinal);
        }

        Assert.Contains("--prefixlen", create.Out, StringComparison.Ordinal);
        Assert.Contains("ipam subnet create --pool", create.Out, StringComparison.Ordinal);
    }
}
