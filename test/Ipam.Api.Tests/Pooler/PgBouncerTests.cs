using System.Net;
using Ipam.Addressing;
using Ipam.Api.Tests.Events;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Api.Tests.Pooler;

/// <summary>
/// A real server on a real PgBouncer in transaction pooling mode (few server connections, so that one Ipam
/// connection's transactions run on different server connections), checked against the database itself.
/// </summary>
public sealed class PgBouncerTests
{
    private const int MaxAttempts = 5;

    [Fact]
    public async Task TransactionPooler_WithPoolerSetting_SixteenClientsLoseAndDuplicateNothing()
    {
        var (cluster, direct, bouncer) = await BehindPgBouncerAsync();
        await using var stopBouncer = bouncer;
        var workload = new PoolerWorkload();
        await using (var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.Postgres, postgresUrl: bouncer.UrlFor(direct, "pooler=transaction")))
        {
            await workload.RunAsync(server);
            Assert.True(workload.Failures.IsEmpty, string.Join('\n', workload.Failures.Take(5)) + bouncer.Log);

            var events = await EventsTestBase.FollowAsync(server, $"tenant_id={workload.Tenant}", 50, "0");
            var allocated = events.Where(e => (string)e["type"]! == "allocation.created").Select(e => (string)e["ip_address"]!).ToList();
            var released = events.Where(e => (string)e["type"]! == "allocation.released").Select(e => (string)e["ip_address"]!).ToList();
            Assert.Equal(workload.Kept.Concat(workload.Released).Order(), allocated.Order());
            Assert.Equal(workload.Released.Order(), released.Order());
        }

        const int allocations = PoolerWorkload.Clients * PoolerWorkload.AllocationsPerClient;
        Assert.Equal(allocations * 2 / 3, workload.Kept.Count);
        Assert.Equal(allocations / 3, workload.Released.Count);
        Assert.Equal(workload.Kept.Count, workload.Kept.Distinct().Count());
        await using var database = new NpgsqlConnection(cluster.ConnectionStringFor(direct));
        await database.OpenAsync();
        // Addresses are stored as 16 bytes; an IPv4 address is in the last four.
        Assert.Equal(
            workload.Kept.Select(a => Convert.ToHexStringLower(IPAddress.Parse(a).GetAddressBytes())).Order(),
            await ColumnAsync(database, "SELECT encode(substring(ip from 13 for 4), 'hex') FROM allocations WHERE subnet_id = $1", Guid.Parse(workload.SubnetId)));
        var stored = (await ColumnAsync(database, "SELECT cidr::text FROM subnets WHERE subnet_pool_id = $1", Guid.Parse(workload.PoolId))).Select(Cidr.Parse).OrderBy(c => c.Network).ToList();
        Assert.Equal(workload.PoolSubnets.Order(), stored.Select(c => c.ToString()).Order());
        Assert.Equal(PoolerWorkload.Clients * PoolerWorkload.SubnetsPerClient, stored.Count);
        for (var i = 1; i < stored.Count; i++)
        {
            Assert.True(stored[i - 1].Last < stored[i].First, $"{stored[i - 1]} overlaps {stored[i]}");
        }
    }

    /// <summary>
    /// Whether a request meets a statement prepared on another server connection depends on which connection the
    /// pooler hands out when, so the workload runs again, on a fresh database, pooler and server, until it has (at
    /// most <see cref="MaxAttempts"/> times; once is usually enough).
    /// </summary>
    [Fact]
    public async Task TransactionPooler_WithoutPoolerSetting_FailsOnPreparedStatements()
    {
        for (var attempt = 1; ; attempt++)
        {
            var (_, direct, bouncer) = await BehindPgBouncerAsync();
            await using var stopBouncer = bouncer;
            var workload = new PoolerWorkload();
            // No usage folds: a mixed-up prepared statement must meet the workload's requests, not the fold's.
            await using var server = await IpamServer.StartAsync(
                durableCommits: false, store: StoreKind.Postgres, postgresUrl: bouncer.UrlFor(direct),
                configure: o => o with { UsageFoldInterval = TimeSpan.FromHours(1) });

            await workload.RunAsync(server);

            if (workload.Failures.IsEmpty && attempt < MaxAttempts)
            {
                continue;
            }

            Assert.NotEmpty(workload.Failures);
            // Npgsql's automatic preparation names statements per server connection ("_auto0", ...), and the pooler
            // gives the next transaction another one: a statement of that name is missing there (26000), exists
            // already (42P05), or is a different statement altogether (08P01 "bind message supplies 1 parameters,
            // but prepared statement "_auto1" requires 12").
            Assert.Contains(server.Logs.Entries, e => e.Message.Contains("prepared statement \"_auto", StringComparison.Ordinal));
            return;
        }
    }

    /// <summary>A new database of the shared cluster, and a PgBouncer of its own in front of the cluster.</summary>
    private static async Task<(PostgresCluster Cluster, string Direct, PgBouncer Bouncer)> BehindPgBouncerAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        var direct = await cluster.CreateDatabaseUrlAsync();
        return (cluster, direct, await PgBouncer.StartAsync(cluster, direct));
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlConnection database, string sql, Guid id)
    {
        await using var command = new NpgsqlCommand(sql, database);
        command.Parameters.AddWithValue(id);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return [.. values.Order()];
    }
}
