using System.Text.Json;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Benchmarks.Tests;

/// <summary>
/// The raw probes' change row stands for the record an allocation commits: each commit appends one, into a table
/// shaped like Ipam's change log, with the columns an allocation's record fills; the plain probe beside it on the
/// same database still works.
/// </summary>
public sealed class RawChangeRowProbeTests
{
    private const string ColumnsSqlite = "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk FROM pragma_table_info(@table) ORDER BY cid";

    private const string IndexesSqlite = """
        SELECT group_concat(i.name, ',') || ' partial=' || l.partial FROM pragma_index_list(@table) l, pragma_index_info(l.name) i
        GROUP BY l.name ORDER BY 1
        """;

    [Fact]
    public async Task Sqlite_EachCommitAppendsOneRowShapedLikeAnAllocationsRecord()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-raw-probe-test-").FullName;
        try
        {
            await using var ipam = await IpamInstance.StartAsync(new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db")), durable: true);
            var subnet = await ipam.CreateSubnetAsync("10.20.0.0/24");
            await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "probe" });
            using var plain = ipam.RawProbe();
            using var withChangeRow = ipam.RawProbe(withChangeRow: true);

            plain.Measure(5);
            withChangeRow.Measure(20);
            plain.Measure(5);

            using var connection = new SqliteConnection($"Data Source={ipam.Database.Target}");
            connection.Open();
            Assert.Equal(["20"], QuerySqlite(connection, "SELECT count(*) FROM bench_raw_changes"));
            Assert.Equal(["30"], QuerySqlite(connection, "SELECT count(*) FROM bench_raw_inserts"));
            Assert.Equal(QuerySqlite(connection, ColumnsSqlite, "changes"), QuerySqlite(connection, ColumnsSqlite, "bench_raw_changes"));
            Assert.Equal(QuerySqlite(connection, IndexesSqlite, "changes"), QuerySqlite(connection, IndexesSqlite, "bench_raw_changes"));
            AssertLikeIpams(
                QuerySqlite(connection, "SELECT after FROM changes WHERE type = 'allocation.created'").Single(),
                QuerySqlite(connection, "SELECT after FROM bench_raw_changes ORDER BY seq DESC LIMIT 1").Single());
            Assert.Equal(["0"], QuerySqlite(connection, "SELECT count(*) FROM bench_raw_changes WHERE ip IS NULL OR ip_address IS NULL OR subnet_id IS NULL"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_EachCommitAppendsOneRowShapedLikeAnAllocationsRecord()
    {
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var ipam = await IpamInstance.StartAsync(new DatabaseLocation(DatabaseLocation.PostgreSql, url), durable: false);
        var subnet = await ipam.CreateSubnetAsync("10.20.0.0/24");
        await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "probe" });
        var probe = new RawPostgresProbe(BenchContext.ConnectionString(url), withChangeRow: true);
        await probe.PrepareAsync();

        await probe.MeasureAsync(2, TimeSpan.FromSeconds(0.3));

        await using var connection = new NpgsqlConnection(BenchContext.ConnectionString(url));
        await connection.OpenAsync();
        Assert.True(probe.Committed > 0);
        Assert.Equal(probe.Committed, await ScalarAsync<long>(connection, "SELECT count(*) FROM raw_changes"));
        Assert.Equal(0, await ScalarAsync<long>(connection, """
            SELECT count(*) FROM raw_changes c LEFT JOIN raw_allocations a ON a.ip = c.ip AND a.subnet_id = c.subnet_id
            WHERE a.ip IS NULL OR c.ip_address <> host('10.0.0.0'::inet + (get_byte(c.ip, 15) + 256 * get_byte(c.ip, 14) + 65536 * get_byte(c.ip, 13)))
            """));
        AssertLikeIpams(
            await ScalarAsync<string>(connection, "SELECT after FROM changes WHERE type = 'allocation.created'"),
            await ScalarAsync<string>(connection, "SELECT after FROM raw_changes ORDER BY seq DESC LIMIT 1"));
    }

    /// <summary>The probe's record carries the fields of Ipam's, and is about as long.</summary>
    private static void AssertLikeIpams(string ipams, string probes)
    {
        static string[] Fields(string json) => [.. JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Order()];
        Assert.Equal(Fields(ipams), Fields(probes));
        Assert.InRange(probes.Length, ipams.Length * 0.8, ipams.Length * 1.25);
    }

    private static List<string> QuerySqlite(SqliteConnection connection, string sql, string? table = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (table is not null)
        {
            command.Parameters.AddWithValue("@table", table);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
