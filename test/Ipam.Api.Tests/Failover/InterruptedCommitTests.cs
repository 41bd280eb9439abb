using System.Net.Http.Json;
using Ipam.Api.Tests.Faults;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Api.Tests.Failover;

/// <summary>
/// A commit that waits for a synchronous standby has already been written on the primary. When the server ends
/// the session there (a fast shutdown before a switchover, pg_terminate_backend), it answers the COMMIT with an
/// error, "terminating connection due to administrator command", and yet the transaction is committed locally.
/// </summary>
[Collection(nameof(FailoverCollection))]
public sealed class InterruptedCommitTests
{
    [Fact]
    public async Task Allocate_SessionEndedWhileCommitWaitsForStandby_503OutcomeUnknownNotNothingChanged()
    {
        await using var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        var url = await cluster.CreateDatabaseUrlAsync();
        // No usage folds: the commit found waiting for the standby must be the allocation's.
        await using var server = await IpamServer.StartAsync(
            store: StoreKind.Postgres, postgresUrl: url, configure: o => o with { UsageFoldInterval = TimeSpan.FromHours(1) });
        var subnetId = ApiFixture.Id(await server.CreateSubnetAsync(new { cidr = "10.92.0.0/24" }));
        await using var admin = new NpgsqlConnection(cluster.ConnectionStringFor(url));
        await admin.OpenAsync();
        // A synchronous standby that never comes: every commit is written here and then waits.
        await ExecuteAsync(admin, "ALTER SYSTEM SET synchronous_standby_names = 'absent'");
        await ExecuteAsync(admin, "SELECT pg_reload_conf()");

        // A backend applies the reload between two commands, so an allocation sent at once may still commit
        // without waiting: then it is answered 201, and another one is sent.
        var committedBeforeTheReload = 0;
        HttpResponseMessage answer;
        while (true)
        {
            var allocating = server.Client.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", new { owner = "waiting" });
            if (await WaitForCommitWaitingForStandbyAsync(admin, allocating) is { } backend)
            {
                await ExecuteAsync(admin, $"SELECT pg_terminate_backend({backend})");
                answer = await allocating;
                break;
            }

            await IpamServer.ExpectAsync(await allocating, 201);
            Assert.True(++committedBeforeTheReload < 10, "ten allocations committed without waiting for the standby");
        }

        Assert.Equal(StoreFailures.OutcomeUnknown, await StoreFailures.ExpectGenericAsync(server, answer));
        await ExecuteAsync(admin, "ALTER SYSTEM RESET synchronous_standby_names");
        await ExecuteAsync(admin, "SELECT pg_reload_conf()");
        await using var count = new NpgsqlCommand("SELECT count(*)::int FROM allocations WHERE owner = 'waiting'", admin);
        Assert.Equal(committedBeforeTheReload + 1, await count.ExecuteScalarAsync());
    }

    /// <summary>The backend whose commit waits for the standby, or null if <paramref name="allocating"/> was answered first.</summary>
    private static async Task<int?> WaitForCommitWaitingForStandbyAsync(NpgsqlConnection admin, Task allocating)
    {
        for (var i = 0; i < 3000; i++)
        {
            await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep'", admin);
            if (await command.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }

            if (allocating.IsCompleted)
            {
                return null;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException("No commit waited for the standby, and the allocation was not answered either.");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
