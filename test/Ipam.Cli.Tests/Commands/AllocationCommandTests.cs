using System.Globalization;
using System.Net;
using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed class AllocationCommandTests
{
    [Fact]
    public async Task Next_gives_the_lowest_free_pool_addresses_in_order()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.5.0.0/24");

        var first = (await server.RunAsync("allocate", id, "--strategy", "next", "--owner", "vm-1")).AssertOk();
        var second = (await server.RunAsync("allocate", id, "--strategy", "next")).AssertOk();

        Assert.Equal(["10.5.0.2"], first.Lines);
        Assert.Equal(["10.5.0.3"], second.Lines);
    }

    [Fact]
    public async Task Renew_extends_shortens_or_keeps_a_reservation_and_sets_its_description()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.7.0.0/24");
        (await server.RunAsync("allocate", id, "--ip", "10.7.0.9", "--owner", "vm-9", "--expires-at", "2099-01-01T00:00:00Z")).AssertOk();

        var later = (await server.RunAsync("renew", id, "10.7.0.9", "--expires-at", "2099-06-01T00:00:00Z", "--json")).Json();
        var inAnHour = (await server.RunAsync("renew", id, "10.7.0.9", "--expires-in", "1h", "--description", "booting", "--json")).Json();
        var table = (await server.RunAsync("renew", id, "10.7.0.9", "--permanent", "--clear-description")).AssertOk();
        var shown = (await server.RunAsync("allocations", id, "--json")).Json().GetProperty("items")[0];

        Assert.Equal("2099-06-01T00:00:00.000Z", later.GetProperty("expires_at").GetString());
        var end = DateTimeOffset.Parse(inAnHour.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(end, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal("booting", inAnHour.GetProperty("description").GetString());
        Assert.Contains("vm-9", table.Out, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("expires_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("description").ValueKind);
        Assert.Equal("vm-9", shown.GetProperty("owner").GetString());
    }

    [Theory]
    [InlineData("--permanent", "--expires-in", "1h")]
    [InlineData("--description", "x", "--clear-description")]
    [InlineData()]
    public async Task Renew_refuses_options_that_exclude_each_other_or_none(params string[] options)
    {
        await using var server = await TestServer.StartAsync();

        var error = (await server.RunAsync(["renew", "0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70", "10.7.0.9", .. options])).AssertFailed(2);

        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Renew_of_an_address_not_allocated_fails_with_the_servers_reason()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.8.0.0/24");

        var error = (await server.RunAsync("renew", id, "10.8.0.9", "--permanent")).AssertFailed(1);

        Assert.Contains("10.8.0.9", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_gives_a_free_pool_address()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.6.0.0/28", "--pool", "10.6.0.4-10.6.0.9");

        var addresses = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            addresses.Add(Assert.Single((await server.RunAsync("allocate", id)).AssertOk().Lines));
        }

        Assert.Equal(Enumerable.Range(4, 6).Select(i => $"10.6.0.{i}"), addresses.Order(Comparer<string>.Create(CompareAddresses)));
    }

    [Fact]
    public async Task Specific_address_in_or_outside_the_pools_and_the_gateway_only_when_allowed()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.7.0.0/24", "--pool", "10.7.0.100-10.7.0.199");

        Assert.Equal(["10.7.0.150"], (await server.RunAsync("allocate", id, "--ip", "10.7.0.150", "--description", "printer")).AssertOk().Lines);
        Assert.Equal(["10.7.0.5"], (await server.RunAsync("allocate", id, "--ip", "10.7.0.5")).AssertOk().Lines);

        var taken = (await server.RunAsync("allocate", id, "--ip", "10.7.0.150")).AssertFailed(1);
        Assert.StartsWith("error: address-in-use: ", taken, StringComparison.Ordinal);
        Assert.Contains("ip_address=10.7.0.150", taken, StringComparison.Ordinal);

        var gateway = (await server.RunAsync("allocate", id, "--ip", "10.7.0.1")).AssertFailed(1);
        Assert.StartsWith("error: address-reserved: ", gateway, StringComparison.Ordinal);
        Assert.Equal(["10.7.0.1"], (await server.RunAsync("allocate", id, "--ip", "10.7.0.1", "--allow-gateway")).AssertOk().Lines);

        var outside = (await server.RunAsync("allocate", id, "--ip", "10.8.0.1")).AssertFailed(1);
        Assert.StartsWith("error: address-outside-subnet: ", outside, StringComparison.Ordinal);

        var usage = (await server.RunAsync("usage", id, "--json")).Json();
        Assert.Equal(1, usage.GetProperty("allocated").GetInt32());
        Assert.Equal(2, usage.GetProperty("outside_pools").GetInt32());
    }

    [Fact]
    public async Task The_gateway_refused_names_the_allow_gateway_option_not_the_api_field()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.7.1.0/24");

        var refused = (await server.RunAsync("allocate", id, "--ip", "10.7.1.1")).AssertFailed(1);
        var json = await server.RunAsync("allocate", id, "--ip", "10.7.1.1", "--json");

        Assert.Equal(
            "error: address-reserved: 10.7.1.1 cannot be allocated: it is the gateway (add --allow-gateway to take it). " +
            "(ip_address=10.7.1.1 reason=the gateway (add --allow-gateway to take it))",
            refused);
        Assert.Equal(refused, json.AssertFailed(1));
        // The problem document on stdout stays the server's, in the API's words.
        Assert.Contains("set allow_gateway to take it", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_allocates_all_at_once_and_prints_one_address_per_line()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.9.0.0/24");

        var result = (await server.RunAsync("allocate", id, "--count", "5", "--strategy", "next", "--owner", "batch")).AssertOk();

        Assert.Equal(Enumerable.Range(2, 5).Select(i => $"10.9.0.{i}"), result.Lines);
        var json = (await server.RunAsync("allocate", id, "--count", "3", "--json")).Json();
        Assert.Equal(3, json.GetProperty("items").GetArrayLength());
        var owned = (await server.RunAsync("allocations", id, "--owner", "batch", "--json")).Json();
        Assert.Equal(5, owned.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Mac_gives_the_eui64_address_on_an_ipv6_slash_64()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("2001:db8:1::/64", "--ipv6-address-mode", "slaac");

        var result = (await server.RunAsync("allocate", id, "--mac", "fa:16:3e:00:11:22", "--owner", "port-1")).AssertOk();

        Assert.Equal(["2001:db8:1:0:f816:3eff:fe00:1122"], result.Lines);
        var conflict = (await server.RunAsync("allocate", id, "--strategy", "next")).AssertFailed(1);
        Assert.StartsWith("error: address-mode-conflict: ", conflict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expires_at_makes_a_reservation()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.10.0.0/24");
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var json = (await server.RunAsync("allocate", id, "--expires-at", expires, "--json")).Json();

        Assert.Equal(DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture), json.GetProperty("expires_at").GetDateTimeOffset());
        var table = (await server.RunAsync("allocations", id)).AssertOk();
        Assert.Contains(expires.Replace('T', ' '), table.Out, StringComparison.Ordinal);

        // Without an offset the time is UTC, as the server reads it.
        var plain = (await server.RunAsync("allocate", id, "--expires-at", expires.TrimEnd('Z'), "--json")).Json();
        Assert.Equal(json.GetProperty("expires_at").GetString(), plain.GetProperty("expires_at").GetString());
    }

    [Fact]
    public async Task Idempotency_key_returns_the_first_allocation_again()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.11.0.0/24");

        var first = (await server.RunAsync("allocate", id, "--idempotency-key", "k1")).AssertOk().Lines;
        var again = (await server.RunAsync("allocate", id, "--idempotency-key", "k1")).AssertOk().Lines;

        Assert.Equal(first, again);
        Assert.Single((await server.RunAsync("allocations", id, "--json")).Json().GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Idempotency_key_on_release_answers_the_first_release_again_and_keeps_the_new_holder()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.11.1.0/24");
        (await server.RunAsync("allocate", id, "--ip", "10.11.1.5")).AssertOk();

        (await server.RunAsync("release", id, "10.11.1.5", "--idempotency-key", "r1")).AssertOk();
        (await server.RunAsync("allocate", id, "--ip", "10.11.1.5", "--owner", "new")).AssertOk();
        (await server.RunAsync("release", id, "10.11.1.5", "--idempotency-key", "r1")).AssertOk();

        var holder = Assert.Single((await server.RunAsync("allocations", id, "--json")).Json().GetProperty("items").EnumerateArray());
        Assert.Equal("new", holder.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Release_frees_the_address_and_a_second_release_is_allocation_not_found()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.12.0.0/24");
        var ip = Assert.Single((await server.RunAsync("allocate", id, "--strategy", "next")).AssertOk().Lines);

        var released = (await server.RunAsync("release", id, ip)).AssertOk();
        Assert.Contains($"Released {ip}", released.Out, StringComparison.Ordinal);
        Assert.Contains("No allocations.", (await server.RunAsync("allocations", id)).Out, StringComparison.Ordinal);

        var again = (await server.RunAsync("release", id, ip)).AssertFailed(1);
        Assert.StartsWith("error: allocation-not-found: ", again, StringComparison.Ordinal);
        Assert.Contains($"ip_address={ip}", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_takes_an_ipv6_address_in_any_form()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("2001:db8:2::/64");
        (await server.RunAsync("allocate", id, "--ip", "2001:db8:2::10")).AssertOk();

        var released = (await server.RunAsync("release", id, "2001:DB8:2:0:0:0:0:10")).AssertOk();

        Assert.Contains($"Released 2001:db8:2::10 from subnet {id}.", released.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await server.RunAsync("allocations", id, "--json")).Json().GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Allocations_lists_a_table_filters_by_owner_and_follows_cursors()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.13.0.0/24");
        (await server.RunAsync("allocate", id, "--count", "4", "--strategy", "next", "--owner", "a")).AssertOk();
        (await server.RunAsync("allocate", id, "--ip", "10.13.0.100", "--owner", "b", "--description", "the b host")).AssertOk();

        var table = (await server.RunAsync("allocations", id)).AssertOk();
        var row = Assert.Single(table.Lines, l => l.Contains("10.13.0.100", StringComparison.Ordinal));
        Assert.Contains("the b host", row, StringComparison.Ordinal);
        Assert.Equal(5, table.Lines.Count(l => l.Contains("10.13.0.", StringComparison.Ordinal)));

        var onlyB = (await server.RunAsync("allocations", id, "--owner", "b", "--json")).Json();
        Assert.Equal("10.13.0.100", Assert.Single(onlyB.GetProperty("items").EnumerateArray()).GetProperty("ip_address").GetString());

        var page = (await server.RunAsync("allocations", id, "--limit", "2", "--json")).Json();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.GetProperty("next").ValueKind);

        var all = (await server.RunAsync("allocations", id, "--limit", "2", "--all", "--json")).Json();
        Assert.Equal(
            ["10.13.0.2", "10.13.0.3", "10.13.0.4", "10.13.0.5", "10.13.0.100"],
            all.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("ip_address").GetString()!));
    }

    [Fact]
    public async Task Pool_exhausted_on_a_slash_30_exits_1_with_one_line_naming_the_code_and_context()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.14.0.0/30");
        Assert.Equal(["10.14.0.2"], (await server.RunAsync("allocate", id)).AssertOk().Lines);

        var result = await server.RunAsync("allocate", id);

        var message = result.AssertFailed(1);
        Assert.StartsWith("error: pool-exhausted: ", message, StringComparison.Ordinal);
        Assert.Contains("requested=1", message, StringComparison.Ordinal);
        Assert.Contains("free=0", message, StringComparison.Ordinal);
        Assert.Contains("pool_size=1", message, StringComparison.Ordinal);
        Assert.Empty(result.Out);

        var bulk = (await server.RunAsync("allocate", id, "--count", "2")).AssertFailed(1);
        Assert.Contains("requested=2", bulk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_errors_with_json_print_the_problem_on_stdout_too()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.15.0.0/30");
        (await server.RunAsync("allocate", id)).AssertOk();

        var result = await server.RunAsync("allocate", id, "--json");

        result.AssertFailed(1);
        var problem = JsonSerializer.Deserialize<JsonElement>(result.Out);
        Assert.Equal("pool-exhausted", problem.GetProperty("code").GetString());
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_bad_cursor_is_named_in_the_one_line()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.5.9.0/24");

        var allocations = (await server.RunAsync("allocations", id, "--cursor", "zzz")).AssertFailed(1);
        var subnets = (await server.RunAsync("subnet", "list", "--cursor", "garbage")).AssertFailed(1);

        Assert.StartsWith("error: invalid-request: cursor: 'zzz'", allocations, StringComparison.Ordinal);
        Assert.StartsWith("error: invalid-request: cursor: 'garbage'", subnets, StringComparison.Ordinal);
    }

    private static int CompareAddresses(string? a, string? b) =>
        IPAddress.Parse(a!).GetAddressBytes().AsSpan().SequenceCompareTo(IPAddress.Parse(b!).GetAddressBytes());
}
