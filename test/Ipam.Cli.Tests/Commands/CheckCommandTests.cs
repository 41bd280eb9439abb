using Ipam.Cli.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

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
    public async Task Check_owner_entries_changed_by_sql_prints_how_many_and_exits_4_then_repair_sets_them_again()
    {
        await using var server = await TestServer.StartAsync();
        await OwnerEntriesDeletedAsync(server, "10.22.0.0/24", 3);

        var check = await server.RunAsync("check");

        Assert.Equal(4, check.ExitCode);
        Assert.Contains("mismatch: 3 owner entr(ies) differ from the allocations (lists by owner read them)", check.Lines);
        Assert.Contains("3 owner entr(ies) differ from the allocations; 'ipam check --repair' sets them again", check.Error, StringComparison.Ordinal);
        var json = await server.RunAsync("check", "--json");
        Assert.Equal(4, json.ExitCode);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(json.Out).RootElement.GetProperty("owner_entry_mismatches").GetInt32());

        var repair = (await server.RunAsync("check", "--repair")).AssertOk();
        Assert.Contains("repaired: 3 owner entr(ies) differ from the allocations (lists by owner read them)", repair.Lines);
        Assert.Equal(0, (await server.RunAsync("check", "--json")).Json().GetProperty("owner_entry_mismatches").GetInt32());
        Assert.Equal(3, Change(server, "UPDATE allocation_owners SET owner = owner WHERE owner = 'web'"));
    }

    [Fact]
    public async Task Check_unreadable_row_and_owner_entries_changed_by_sql_names_both_in_its_error()
    {
        await using var server = await TestServer.StartAsync();
        var id = await OwnerEntriesDeletedAsync(server, "10.23.0.0/24", 2);
        Assert.Equal(1, Change(server, $"UPDATE allocations SET created_at = 'yesterday' WHERE subnet_id = '{id}' AND ip = (SELECT min(ip) FROM allocations WHERE subnet_id = '{id}')"));

        var error = (await server.RunAsync("check")).AssertFailed(4);

        Assert.Contains("1 row(s) cannot be read", error, StringComparison.Ordinal);
        Assert.Contains("; besides, 2 owner entr(ies) differ from the allocations, which 'ipam check --repair' sets again", error, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("ip = X'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'", "ip 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "ip holds 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, which is no IPv4 address")]
    [InlineData("ip = '10.26.0.5 (hand)'", "ip '10.26.0.5 (hand)'", "ip holds '10.26.0.5 (hand)', not a 16-byte address key")]
    [InlineData("ip = X'0000000000000000000000000B000005'", "ip 0x0000000000000000000000000B000005", "ip 11.0.0.5 is not inside the subnet's 10.26.0.0/24")]
    [InlineData("created_at = 'yesterday'", "ip 0x0000000000000000000000000A1A0005", "created_at holds 'yesterday', not a time")]
    public async Task Check_allocation_row_edited_into_what_the_server_never_writes_lists_it_and_exits_4_repaired_or_not(string set, string key, string problem)
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.26.0.0/24");
        (await server.RunAsync("allocate", id, "--ip", "10.26.0.5")).AssertOk();
        (await server.RunAsync("allocate", id, "--ip", "10.26.0.6")).AssertOk();
        Execute(server, $"UPDATE allocations SET {set} WHERE subnet_id = '{id}' AND ip = X'0000000000000000000000000A1A0005'");

        var check = await server.RunAsync("check");
        var repair = await server.RunAsync("check", "--repair");
        var json = await server.RunAsync("check", "--json");

        var line = $"unreadable: allocations row (subnet_id {id}, {key}): {problem}";
        foreach (var run in new[] { check, repair })
        {
            Assert.Contains("1 row(s) cannot be read", run.AssertFailed(4), StringComparison.Ordinal);
            Assert.Contains(line, run.Lines);
        }

        json.AssertFailed(4);
        var answer = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(json.Out);
        var row = Assert.Single(answer.GetProperty("unreadable_rows").EnumerateArray());
        Assert.Equal(("allocations", $"(subnet_id {id}, {key})", problem),
            (row.GetProperty("table").GetString(), row.GetProperty("key").GetString(), row.GetProperty("problem").GetString()));
        Assert.Equal(1, answer.GetProperty("unreadable_row_count").GetInt64());
    }

    [Fact]
    public async Task Check_allocation_row_edited_on_postgres_lists_it_and_exits_4()
    {
        var cluster = await SharedPostgres.GetAsync();
        var url = await cluster.CreateDatabaseUrlAsync();
        await using var server = await TestServer.StartAsync(postgresUrl: url);
        var id = await server.CreateSubnetAsync("10.27.0.0/24");
        (await server.RunAsync("allocate", id, "--ip", "10.27.0.5")).AssertOk();
        await using (var connection = new NpgsqlConnection(cluster.ConnectionStringFor(url)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"UPDATE allocations SET ip = '\\x{new string('f', 32)}'::bytea WHERE subnet_id = '{id}'", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var check = await server.RunAsync("check");

        check.AssertFailed(4);
        Assert.Contains($"unreadable: allocations row (subnet_id {id}, ip 0x{new string('F', 32)}): ip holds 0x{new string('F', 32)}, which is no IPv4 address", check.Lines);
    }

    /// <summary>Runs <paramref name="sql"/> on the server's file; returns the rows it changed.</summary>
    private static int Change(TestServer server, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// A subnet of <paramref name="cidr"/> with <paramref name="count"/> allocations owned by "web", folded into owner
    /// entries that SQL then deletes behind the server's back; returns the subnet's id.
    /// </summary>
    private static async Task<string> OwnerEntriesDeletedAsync(TestServer server, string cidr, int count)
    {
        var id = await server.CreateSubnetAsync(cidr);
        (await server.RunAsync("allocate", id, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--owner", "web")).AssertOk();
        await FoldedAsync(server);
        Assert.Equal(count, Change(server, "DELETE FROM allocation_owners"));
        return id;
    }

    /// <summary>Waits until the server's background fold has taken every change in the log.</summary>
    private static async Task FoldedAsync(TestServer server)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT position FROM usage_fold) = (SELECT max(seq) FROM changes)";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The fold did not take the log within 10 s.");
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
