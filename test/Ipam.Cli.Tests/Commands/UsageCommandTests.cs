using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed class UsageCommandTests
{
    [Fact]
    public async Task Usage_shows_total_allocated_free_outside_pools_and_percent()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.16.0.0/24", "--pool", "10.16.0.10-10.16.0.17");
        (await server.RunAsync("allocate", id, "--count", "2")).AssertOk();
        (await server.RunAsync("allocate", id, "--ip", "10.16.0.200")).AssertOk();

        var lines = (await server.RunAsync("usage", id)).AssertOk().Lines;

        Assert.Equal(["Total 8", "Allocated 2", "Free 6", "Outside pools 1", "Used 25%"], lines.Select(Squeeze));
        var json = (await server.RunAsync("usage", id, "--json")).Json();
        Assert.Equal(8, json.GetProperty("total").GetInt32());
        Assert.Equal(2, json.GetProperty("allocated").GetInt32());
        Assert.Equal(6, json.GetProperty("free").GetInt32());
        Assert.Equal(1, json.GetProperty("outside_pools").GetInt32());
    }

    [Fact]
    public async Task Ipv6_counts_beyond_2_pow_64_stay_exact()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("2001:db8:100::/56");
        (await server.RunAsync("allocate", id)).AssertOk();
        var total = (UInt128.One << 72) - 2; // minus the network (subnet-router anycast) address and the gateway

        var json = (await server.RunAsync("usage", id, "--json")).Json();
        var lines = (await server.RunAsync("usage", id)).AssertOk().Lines.Select(Squeeze).ToList();

        Assert.Equal(total, UInt128.Parse(json.GetProperty("total").GetRawText(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(total - 1, UInt128.Parse(json.GetProperty("free").GetRawText(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Total 4,722,366,482,869,645,213,694", lines);
        Assert.Contains("Free 4,722,366,482,869,645,213,693", lines);
        Assert.Contains("Used <0.01%", lines);
    }

    private static string Squeeze(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
