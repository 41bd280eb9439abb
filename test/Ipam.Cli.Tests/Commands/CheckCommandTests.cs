using Ipam.Cli.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ipam.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_consistent_counters_prints_what_it_checked_and_exits_0()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.17.0.0/24");
        (await server.RunAsync("allocate", id, "--count", "3")).AssertOk();

        var lines = (await server.RunAsync("check")).AssertOk().Lines;

        Assert.Equal(["Checked the usage counters of 1 subnet(s) against a count of their allocations.", "Every subnet's counters match its allocations."], lines);
    }

    [Fact]
    public async Task Check_counter_changed_by_sql_prints_one_line_and_exits_4_then_repair_fixes_it()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.18.0.0/24");
        var clean = await server.CreateSubnetAsync("10.19.0.0/24");
        (await server.RunAsync("allocate", id, "--count", "3")).AssertOk();
        (await server.RunAsync("allocate", id, "--ip", "10.18.0.1", "--allow-gateway")).AssertOk();
        (await server.RunAsync("allocate", clean)).AssertOk();
        Execute(server, $"UPDATE subnet_usage SET allocated = allocated + 5, in_pools = in_pools + 5 WHERE subnet_id = '{id}'");

        var check = await server.RunAsync("check");

        Assert.Equal(4, check.ExitCode);
        Assert.Contains("Checked the usage counters of 2 subnet(s)", check.Out, StringComparison.Ordinal);
        var mismatch = Assert.Single(check.Lines, l => l.StartsWith("mismatch:", StringComparison.Ordinal));
        Assert.Equal($"mismatch: subnet {id}: counters 9 allocated (8 in pools, 1 outside), rows 4 allocated (3 in pools, 1 outside)", mismatch);
        Assert.Contains("1 subnet(s) have usage counters that differ", check.Error, StringComparison.Ordinal);
        var usage = (await server.RunAsync("usage", id, "--json")).Json();
        Assert.Equal(8, usage.GetProperty("allocated").GetInt32());

        var repair = (await server.RunAsync("check", "--repair")).AssertOk();
        Assert.Contains($"repaired: subnet {id}: counters 9 allocated", repair.Out, StringComparison.Ordinal);

        (await server.RunAsync("check")).AssertOk();
        usage = (await server.RunAsync("usage", id, "--json")).Json();
        Assert.Equal(3, usage.GetProperty("allocated").GetInt32());
        Assert.Equal(1, usage.GetProperty("outside_pools").GetInt32());
    }

    [Theory]
    [InlineData("allocated = -5, in_pools = -7", 0, 0)]
    [InlineData("allocated = 1000, in_pools = 900", 253, 100)]
    public async Task Usage_of_counters_edited_out_of_range_stays_within_the_pools(string counters, int allocated, int outside)
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.21.0.0/24");
        (await server.RunAsync("allocate", id)).AssertOk();
        Execute(server, $"UPDATE subnet_usage SET {counters} WHERE subnet_id = '{id}'");

        var usage = (await server.RunAsync("usage", id, "--json")).Json();

        Assert.Equal(allocated, usage.GetProperty("allocated").GetInt32());
        Assert.Equal(253 - allocated, usage.GetProperty("free").GetInt32());
        Assert.Equal(outside, usage.GetProperty("outside_pools").GetInt32());
        Assert.Equal(4, (await server.RunAsync("check")).ExitCode);
    }

    [Fact]
    public async Task Check_json_prints_the_servers_answer()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateSubnetAsync("10.20.0.0/24");

        var json = (await server.RunAsync("check", "--json")).Json();

        Assert.Equal(1, json.GetProperty("subnets_checked").GetInt32());
        Assert.Equal(0, json.GetProperty("mismatches").GetArrayLength());
        Assert.False(json.GetProperty("repaired").GetBoolean());
    }

    private static void Execute(TestServer server, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
