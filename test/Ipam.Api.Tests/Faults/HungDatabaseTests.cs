using System.Diagnostics;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Faults;

/// <summary>A PostgreSQL server that stops answering (postmaster and backends stopped with SIGSTOP).</summary>
public sealed class HungDatabaseTests
{
    [Fact]
    public async Task Requests_DatabaseHung_AnsweredWithin_Deadline()
    {
        await using var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, postgresUrl: await cluster.CreateDatabaseUrlAsync());
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.80.0.0/24" }))["id"]!;
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(200) };

        await using (cluster.Freeze())
        {
            var clock = Stopwatch.StartNew();
            var write = await client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { });
            var writeTime = clock.Elapsed;
            clock.Restart();
            var ready = await client.GetAsync("/readyz");
            var readyTime = clock.Elapsed;
            File.AppendAllText("/tmp/hung.txt", $"write {(int)write.StatusCode} {writeTime.TotalSeconds:F1}s readyz {(int)ready.StatusCode} {readyTime.TotalSeconds:F1}s\n");
        }
    }
}
