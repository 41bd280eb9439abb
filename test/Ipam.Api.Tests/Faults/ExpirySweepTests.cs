using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Errors;
using Ipam.Storage;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql.GroupCommit;
using Ipam.Storage.Sqlite;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ipam.Api.Tests.Faults;

/// <summary>The expiry sweep: bounded transactions, the database's clock, and a sweeper that survives its failures.</summary>
public abstract class ExpirySweepTests(StoreKind store)
{
    private protected const string LongAgo = "2000-01-01T00:00:00.0000000Z";

    [Fact]
    public async Task ReleaseExpired_Backlog_ReleasedInTransactionsOfAtMostOneBatch()
    {
        // The usage fold's transactions would be counted too.
        await using var server = await IpamServer.StartAsync(
            durableCommits: false, store: store,
            configure: options => options with { ExpirySweepInterval = TimeSpan.FromHours(1), UsageFoldInterval = TimeSpan.FromHours(1) });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.100.0.0/20" }))["id"]!;
        const int backlog = (2 * AllocationService.ExpiryBatchSize) + 500;
        await server.AllocateAsync(id, new { count = backlog });
        await ExpireAsync(server, id, LongAgo);
        var engine = EngineOf(server);
        var transactionsBefore = engine.Transactions;

        var released = await server.Services.GetRequiredService<AllocationService>().ReleaseExpiredAsync(TestContext.Current.CancellationToken);

        Assert.Equal(backlog, released);
        Assert.Equal(0, await Database.CountAllocationsAsync(server, id));
        // Three transactions of at most a batch each (the last one short, which ends the loop), then the idempotency keys.
        Assert.Equal(4, engine.Transactions - transactionsBefore);
    }

    [Fact]
    public async Task ReleaseExpired_MachineClockADayAhead_JudgesExpiryByTheDatabaseServersClock()
    {
        var machine = new SkewedClock(TimeSpan.FromDays(1));
        await using var server = await IpamServer.StartAsync(
            time: machine, durableCommits: false, store: store,
            configure: options => options with { ExpirySweepInterval = TimeSpan.FromHours(1), HostClock = machine });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.101.0.0/24" }))["id"]!;
        await server.AllocateAsync(id, new { ip_address = "10.101.0.10" });
        await server.AllocateAsync(id, new { ip_address = "10.101.0.11" });
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await ExpireAsync(server, id, inAnHour);
        Assert.Null(await Database.TryExecuteAsync(server, $"UPDATE allocations SET expires_at = '{LongAgo}' WHERE subnet_id = @id AND ip = (SELECT ip FROM allocations WHERE subnet_id = @id ORDER BY ip DESC LIMIT 1)", id));

        var released = await server.Services.GetRequiredService<AllocationService>().ReleaseExpiredAsync(TestContext.Current.CancellationToken);

        var first = await server.Client.GetAsync($"/v1/subnets/{id}/allocations/10.101.0.10");
        if (store == StoreKind.Sqlite)
        {
            // An embedded database has no clock but this machine's: a day ahead, the reservation that ends in an hour has ended.
            Assert.Equal(2, released);
            Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        }
        else
        {
            // The server's clock says that reservation has an hour to go; the machine's clock is not asked.
            Assert.Equal(1, released);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var createdAt = DateTimeOffset.Parse((string)(await first.Content.ReadFromJsonAsync<JsonObject>())!["created_at"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/v1/subnets/{id}/allocations/10.101.0.11")).StatusCode);
    }

    private protected Task<IpamServer> StartAsync(TimeSpan sweepInterval) => IpamServer.StartAsync(
        durableCommits: false, store: store, configure: options => options with { ExpirySweepInterval = sweepInterval });

    private protected static async Task ExpireAsync(IpamServer server, string subnetId, string at) =>
        Assert.Null(await Database.TryExecuteAsync(server, $"UPDATE allocations SET expires_at = '{at}' WHERE subnet_id = @id", subnetId));

    private static GroupCommitEngine EngineOf(IpamServer server) => server.Services.GetRequiredService<IIpamStore>() switch
    {
        SqliteStore sqlite => sqlite.GroupCommit!,
        PostgresStore postgres => postgres.GroupCommit,
        var other => throw new InvalidOperationException($"Unknown store {other}."),
    };

    private sealed class SkewedClock(TimeSpan skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
    }
}

public sealed class ExpirySweepTestsOnSqlite() : ExpirySweepTests(StoreKind.Sqlite)
{
    [Fact]
    public async Task Sweeper_UnexpectedFailure_LoggedAndTheNextSweepsRun()
    {
        await using var server = await StartAsync(TimeSpan.FromMilliseconds(50));
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.102.0.0/24" }))["id"]!;
        // A row no IPv4 address can be read from: releasing it throws inside the sweep.
        Assert.Null(await Database.TryExecuteAsync(server,
            $"INSERT INTO allocations (subnet_id, ip, created_at, expires_at) VALUES (@id, x'ffffffffffffffffffffffffffffffff', '{LongAgo}', '{LongAgo}')", id));
        await Eventually.HoldsAsync(() => server.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Exception is UnreadableRowException), "the failed sweep to be logged", TimeSpan.FromSeconds(10));

        Assert.Null(await Database.TryExecuteAsync(server, "DELETE FROM allocations WHERE subnet_id = @id", id));
        await server.AllocateAsync(id, new { ip_address = "10.102.0.7" });
        await ExpireAsync(server, id, LongAgo);

        await Eventually.HoldsAsync(async () => await Database.CountAllocationsAsync(server, id) == 0, "the sweep to release the expired allocations", TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
    }
}

public sealed class ExpirySweepTestsOnPostgres() : ExpirySweepTests(StoreKind.Postgres);

public sealed class ExpirySweepTestsOnThreeInstances() : ExpirySweepTests(StoreKind.ThreePostgresInstances);
