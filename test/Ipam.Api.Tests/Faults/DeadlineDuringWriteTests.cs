using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// A write still running when its request's deadline passes, on PostgreSQL: its commit waits for the change log's
/// commit-order lock, which a session outside Ipam holds (that wait is not bounded by the transaction's lock wait).
/// </summary>
public sealed class DeadlineDuringWriteTests
{
    /// <summary>The advisory lock key of the change log's appends (PostgresSql.ChangeLogLock).</summary>
    private const long ChangeLogLock = 0x1BA3_C4A9_0001;

    private const int DeadlineEvent = 1003;

    /// <summary>Only bounds a hang; never the thing tested.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Allocate_DeadlinePassesWhileTheWriteRuns_OutcomeUnknownAndTheDeadlineLogged()
    {
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, configure: o => o with { RequestTimeout = TimeSpan.FromSeconds(2) });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.97.0.0/24" }))["id"]!;
        await server.AllocateAsync(id);

        HttpResponseMessage answer;
        var connectionString = (await SharedPostgres.GetAsync()).ConnectionStringFor(server.Options.Database.Target);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ChangeLogLock})", connection, transaction))
            {
                await hold.ExecuteNonQueryAsync();
            }

            answer = await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { owner = "past-deadline" }).WaitAsync(Guard);
        }

        var problem = await IpamServer.ExpectProblemAsync(answer, 503, "store-unavailable");
        Assert.Equal(StoreFailures.OutcomeUnknown, (string?)problem["detail"]);
        var traceId = (string)problem["trace_id"]!;
        Assert.Contains(server.Logs.Entries, e => e.EventId.Id == DeadlineEvent && e.Message.Contains(traceId, StringComparison.Ordinal));
    }
}
