using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed class SubnetCommandTests
{
    [Fact]
    public async Task Create_list_show_update_delete_round_trip()
    {
        await using var server = await TestServer.StartAsync();

        var created = await server.RunAsync("subnet", "create", "10.20.0.0/24", "--name", "web", "--tenant", "acme");
        created.AssertOk();
        Assert.Contains("10.20.0.0/24 (IPv4)", created.Out, StringComparison.Ordinal);
        Assert.Contains("10.20.0.2-10.20.0.254", created.Out, StringComparison.Ordinal);
        Assert.Contains("0 of 253 allocated (0%), 253 free, 0 outside pools", created.Out, StringComparison.Ordinal);
        var id = (await server.RunAsync("subnet", "list", "--json")).Json().GetProperty("items")[0].GetProperty("id").GetString()!;

        var list = (await server.RunAsync("subnet", "list")).AssertOk();
        var row = Assert.Single(list.Lines, l => l.Contains(id, StringComparison.Ordinal));
        Assert.Contains("web", row, StringComparison.Ordinal);
        Assert.Contains("10.20.0.1", row, StringComparison.Ordinal);
        Assert.Contains("acme", row, StringComparison.Ordinal);
        Assert.Contains("253", row, StringComparison.Ordinal);

        var show = (await server.RunAsync("subnet", "show", id)).AssertOk();
        Assert.Contains(id, show.Out, StringComparison.Ordinal);
        Assert.Contains("web", show.Out, StringComparison.Ordinal);

        var updated = (await server.RunAsync(
            "subnet", "update", id, "--name", "web-frontend", "--gateway", "10.20.0.254", "--pool", "10.20.0.10-10.20.0.99")).AssertOk();
        Assert.Contains("web-frontend", updated.Out, StringComparison.Ordinal);
        Assert.Contains("10.20.0.10-10.20.0.99", updated.Out, StringComparison.Ordinal);
        var json = (await server.RunAsync("subnet", "show", id, "--json")).Json();
        Assert.Equal("web-frontend", json.GetProperty("name").GetString());
        Assert.Equal("10.20.0.254", json.GetProperty("gateway_ip").GetString());
        Assert.Equal(90, json.GetProperty("usage").GetProperty("total").GetInt32());

        var deleted = (await server.RunAsync("subnet", "delete", id)).AssertOk();
        Assert.Contains($"Deleted subnet {id}.", deleted.Out, StringComparison.Ordinal);
        var gone = (await server.RunAsync("subnet", "show", id)).AssertFailed(1);
        Assert.StartsWith("error: subnet-not-found: ", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_takes_pools_no_gateway_and_ipv6_address_mode()
    {
        await using var server = await TestServer.StartAsync();

        var json = (await server.RunAsync(
            "subnet", "create", "10.30.0.0/24", "--gateway", "none",
            "--pool", "10.30.0.10-10.30.0.19", "--pool", "10.30.0.100-10.30.0.109,10.30.0.200-10.30.0.200", "--json")).Json();

        Assert.Equal(JsonValueKind.Null, json.GetProperty("gateway_ip").ValueKind);
        var pools = json.GetProperty("allocation_pools").EnumerateArray().Select(p => $"{p.GetProperty("start")}-{p.GetProperty("end")}").ToList();
        Assert.Equal(["10.30.0.10-10.30.0.19", "10.30.0.100-10.30.0.109", "10.30.0.200-10.30.0.200"], pools);
        Assert.Equal(21, json.GetProperty("usage").GetProperty("total").GetInt32());

        var v6 = (await server.RunAsync("subnet", "create", "2001:DB8:0:1::/64", "--ipv6-address-mode", "slaac")).AssertOk();
        Assert.Contains("2001:db8:0:1::/64 (IPv6)", v6.Out, StringComparison.Ordinal);
        Assert.Contains("slaac", v6.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reuse_cooldown_is_set_on_create_shown_and_changed_by_update()
    {
        await using var server = await TestServer.StartAsync();

        var created = (await server.RunAsync("subnet", "create", "10.40.0.0/24", "--reuse-cooldown", "600")).AssertOk();
        Assert.Contains("Reuse cooldown", created.Out, StringComparison.Ordinal);
        Assert.Contains("600 s", created.Out, StringComparison.Ordinal);
        var id = (await server.RunAsync("subnet", "list", "--json")).Json().GetProperty("items")[0].GetProperty("id").GetString()!;

        var json = (await server.RunAsync("subnet", "update", id, "--reuse-cooldown", "0", "--json")).Json();
        Assert.Equal(0, json.GetProperty("reuse_cooldown_seconds").GetInt32());
        var refused = (await server.RunAsync("subnet", "update", id, "--reuse-cooldown", "-5")).AssertFailed(2);
        Assert.Contains("--reuse-cooldown", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_filters_by_tenant_and_ip_version()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateSubnetAsync("10.0.0.0/24", "--tenant", "a");
        await server.CreateSubnetAsync("10.0.1.0/24", "--tenant", "b");
        await server.CreateSubnetAsync("2001:db8::/64", "--tenant", "a");

        Assert.Equal(["10.0.0.0/24", "2001:db8::/64"], Cidrs((await server.RunAsync("subnet", "list", "--tenant", "a", "--json")).Json()));
        Assert.Equal(["2001:db8::/64"], Cidrs((await server.RunAsync("subnet", "list", "--ip-version", "6", "--json")).Json()));
        var empty = (await server.RunAsync("subnet", "list", "--tenant", "nobody")).AssertOk();
        Assert.Contains("No subnets.", empty.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_pages_with_limit_and_follows_cursors_with_all()
    {
        await using var server = await TestServer.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await server.CreateSubnetAsync($"10.1.{i}.0/24");
        }

        var first = (await server.RunAsync("subnet", "list", "--limit", "2", "--json")).Json();
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var next = first.GetProperty("next").GetString()!;

        var second = (await server.RunAsync("subnet", "list", "--limit", "2", "--cursor", next, "--json")).Json();
        Assert.Equal(["10.1.2.0/24", "10.1.3.0/24"], Cidrs(second));

        var table = (await server.RunAsync("subnet", "list", "--limit", "2")).AssertOk();
        Assert.Contains("--cursor", table.Error, StringComparison.Ordinal);

        var all = (await server.RunAsync("subnet", "list", "--limit", "2", "--all", "--json")).Json();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"10.1.{i}.0/24"), Cidrs(all));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);

        var allTable = (await server.RunAsync("subnet", "list", "--limit", "2", "--all")).AssertOk();
        Assert.Equal(5, allTable.Lines.Count(l => l.Contains("10.1.", StringComparison.Ordinal)));
        Assert.Empty(allTable.Error);
    }

    [Fact]
    public async Task Update_with_no_pools_empties_the_pools()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.2.0.0/24");

        var json = (await server.RunAsync("subnet", "update", id, "--no-pools", "--json")).Json();

        Assert.Equal(0, json.GetProperty("allocation_pools").GetArrayLength());
        Assert.Equal(0, json.GetProperty("usage").GetProperty("total").GetInt32());
        var shown = (await server.RunAsync("subnet", "show", id)).AssertOk();
        Assert.Contains("(none)", shown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_with_default_pools_gives_back_every_host_address_but_the_new_gateway()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.2.1.0/24", "--pool", "10.2.1.50-10.2.1.59");

        var json = (await server.RunAsync("subnet", "update", id, "--gateway", "10.2.1.254", "--default-pools", "--json")).Json();

        var pool = Assert.Single(json.GetProperty("allocation_pools").EnumerateArray());
        Assert.Equal(("10.2.1.1", "10.2.1.253"), (pool.GetProperty("start").GetString(), pool.GetProperty("end").GetString()));
        Assert.Equal(253, json.GetProperty("usage").GetProperty("total").GetInt32());
        Assert.Contains("not both", (await server.RunAsync("subnet", "update", id, "--no-pools", "--default-pools")).AssertFailed(2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_with_invalid_pools_reports_the_code_and_changes_nothing()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.3.0.0/24");

        var message = (await server.RunAsync("subnet", "update", id, "--pool", "10.3.0.100-10.3.0.10")).AssertFailed(1);

        Assert.StartsWith("error: invalid-allocation-pools: ", message, StringComparison.Ordinal);
        var json = (await server.RunAsync("subnet", "show", id, "--json")).Json();
        Assert.Equal("10.3.0.2", json.GetProperty("allocation_pools")[0].GetProperty("start").GetString());
    }

    [Fact]
    public async Task Delete_of_a_subnet_in_use_needs_force()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.4.0.0/24");
        (await server.RunAsync("allocate", id)).AssertOk();

        var refused = (await server.RunAsync("subnet", "delete", id)).AssertFailed(1);
        Assert.StartsWith("error: in-use: ", refused, StringComparison.Ordinal);
        Assert.Contains("1 allocation(s); release them first, or add --force, which releases them.", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("delete with force", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("Add --force", refused, StringComparison.Ordinal);

        (await server.RunAsync("subnet", "delete", id, "--force")).AssertOk();
        (await server.RunAsync("subnet", "show", id)).AssertFailed(1);
    }

    [Theory]
    [InlineData("10.0.0.5/24", "host bits")]
    [InlineData("10.0.0.0/33", "")]
    [InlineData("not-a-cidr", "")]
    public async Task Invalid_cidr_is_an_invalid_request(string cidr, string expected)
    {
        await using var server = await TestServer.StartAsync();

        var message = (await server.RunAsync("subnet", "create", cidr)).AssertFailed(1);

        Assert.StartsWith("error: invalid-request: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("No subnets.", (await server.RunAsync("subnet", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_subnet_is_subnet_not_found_with_its_id()
    {
        await using var server = await TestServer.StartAsync();
        var unknown = Guid.NewGuid().ToString();

        foreach (var args in new[] { ["subnet", "show", unknown], ["subnet", "delete", unknown], ["usage", unknown], ["allocate", unknown], new[] { "allocations", unknown } })
        {
            var message = (await server.RunAsync(args)).AssertFailed(1);
            Assert.StartsWith("error: subnet-not-found: ", message, StringComparison.Ordinal);
            Assert.Contains($"subnet_id={unknown}", message, StringComparison.Ordinal);
        }
    }

    private static List<string> Cidrs(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("cidr").GetString()!)];
}
