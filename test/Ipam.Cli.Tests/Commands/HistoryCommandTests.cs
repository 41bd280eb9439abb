using System.Net.Http.Json;
using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed class HistoryCommandTests
{
    [Fact]
    public async Task History_with_subnet_lists_the_current_allocation_then_released_ones()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.17.0.0/24");
        (await server.RunAsync("allocate", id, "--ip", "10.17.0.5", "--owner", "vm-1")).AssertOk();
        (await server.RunAsync("release", id, "10.17.0.5")).AssertOk();
        (await server.RunAsync("allocate", id, "--ip", "10.17.0.5", "--owner", "vm-2")).AssertOk();

        var lines = (await server.RunAsync("history", "10.17.0.5", "--subnet", id)).AssertOk().Lines;
        var json = (await server.RunAsync("history", "10.17.0.5", "--subnet", id, "--json")).Json();

        Assert.Contains("RELEASED BY", lines[1], StringComparison.Ordinal);
        var vm2 = Array.FindIndex(lines, l => l.Contains("vm-2", StringComparison.Ordinal));
        var vm1 = Array.FindIndex(lines, l => l.Contains("vm-1", StringComparison.Ordinal));
        Assert.True(vm2 >= 0 && vm1 > vm2, string.Join('\n', lines));
        Assert.Contains("(current)", lines[vm2], StringComparison.Ordinal);
        Assert.Contains("released", lines[vm1], StringComparison.Ordinal);
        Assert.Equal(["vm-2", "vm-1"], json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("owner").GetString()));
    }

    [Fact]
    public async Task History_without_subnet_shows_who_holds_the_address_in_every_subnet()
    {
        await using var server = await TestServer.StartAsync();
        var wide = await server.CreateSubnetAsync("10.18.0.0/16");
        var narrow = await server.CreateSubnetAsync("10.18.0.0/24");
        (await server.RunAsync("allocate", wide, "--ip", "10.18.0.7", "--owner", "wide-owner")).AssertOk();
        (await server.RunAsync("allocate", narrow, "--ip", "10.18.0.7", "--owner", "narrow-owner")).AssertOk();

        var output = (await server.RunAsync("history", "10.18.0.7")).AssertOk().Out;
        var before = (await server.RunAsync("history", "10.18.0.7", "--at", "2001-01-01T00:00:00Z")).AssertOk().Out;
        var free = (await server.RunAsync("history", "10.18.0.8")).AssertOk().Out;

        Assert.Contains("10.18.0.0/16", output, StringComparison.Ordinal);
        Assert.Contains("narrow-owner", output, StringComparison.Ordinal);
        Assert.Contains(wide, output, StringComparison.Ordinal);
        Assert.Contains("Nobody held 10.18.0.7 at 2001-01-01T00:00:00Z, in any subnet.", before, StringComparison.Ordinal);
        Assert.Contains("Nobody holds 10.18.0.8 now, in any subnet.", free, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_without_subnet_follows_every_page_of_holders()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        const int Holders = 105;
        for (var i = 0; i < Holders; i++)
        {
            using var created = await http.PostAsJsonAsync("/v1/subnets", new { cidr = "10.19.0.0/24" }, TestContext.Current.CancellationToken);
            var id = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString();
            using var allocated = await http.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.19.0.7", owner = $"owner-{i}" }, TestContext.Current.CancellationToken);
            allocated.EnsureSuccessStatusCode();
        }

        var json = (await server.RunAsync("history", "10.19.0.7", "--json")).Json();

        var owners = json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("owner").GetString()).ToList();
        Assert.Equal(Holders, owners.Distinct().Count());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task History_names_an_address_typed_in_another_form_canonically()
    {
        await using var server = await TestServer.StartAsync();

        var free = (await server.RunAsync("history", "2001:DB8:77:0::ABCD")).AssertOk().Out;

        Assert.Contains("Nobody holds 2001:db8:77::abcd now, in any subnet.", free, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_rejects_at_with_subnet_and_a_bad_address()
    {
        var both = await IpamCli.RunAsync("history", "10.0.0.1", "--subnet", Guid.NewGuid().ToString(), "--at", "2026-01-01T00:00:00Z");
        var bad = await IpamCli.RunAsync("history", "10.0.0.300");

        Assert.Contains("--at applies only without --subnet", both.AssertFailed(2), StringComparison.Ordinal);
        bad.AssertFailed(2);
    }
}
