using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Health;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Extensions.Logging;

namespace Ipam.Api.Tests.Faults;

/// <summary>A PostgreSQL server that stops answering (postmaster and backends stopped with SIGSTOP).</summary>
public sealed class HungDatabaseTests
{
    /// <summary>How late past its deadline an answer may come on a busy test machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private const string TimedOut = "The request did not complete in time; nothing was changed. Retry later.";

    [Fact]
    public async Task Requests_DatabaseHung_AnsweredAtTheDeadlineAndReadinessWithinSeconds()
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
            var read = await client.GetAsync($"/v1/subnets/{id}");
            var readTime = clock.Elapsed;
            clock.Restart();
            var ready = await client.GetAsync("/readyz");
            var readyTime = clock.Elapsed;
            TestContext.Current.SendDiagnosticMessage($"hung database: write {writeTime}, read {readTime}, readyz {readyTime}");

            var deadline = IpamHostOptions.DefaultRequestTimeout;
            Assert.InRange(writeTime, deadline - Slack, deadline + Slack);
            Assert.InRange(readTime, deadline - Slack, deadline + Slack);
            Assert.InRange(readyTime, TimeSpan.Zero, HealthApi.ReadinessTimeout + Slack);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            // A write still queued was never run; one already running may yet commit if the database wakes up.
            foreach (var (answer, details) in new[] { (write, new[] { TimedOut, StoreFailures.OutcomeUnknown }), (read, new[] { TimedOut }) })
            {
                var problem = await IpamServer.ExpectProblemAsync(answer, 503, "store-unavailable");
                Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.RetryAfter?.Delta);
                Assert.Contains((string?)problem["detail"], details);
                var traceId = (string)problem["trace_id"]!;
                Assert.Contains(server.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains(traceId, StringComparison.Ordinal));
            }
        }

        // Once the database answers again, so does the service.
        await server.AllocateAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task WholeDatabaseRequests_OutliveTheRequestDeadline_WhileOthersAreAnsweredAtIt()
    {
        await using var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        var deadline = TimeSpan.FromSeconds(2);
        await using var server = await IpamServer.StartAsync(
            store: StoreKind.Postgres, postgresUrl: await cluster.CreateDatabaseUrlAsync(), configure: options => options with { RequestTimeout = deadline });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.82.0.0/24" }))["id"]!;
        await server.AllocateAsync(id);
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(200) };

        Task<HttpResponseMessage> check;
        HttpResponseMessage read;
        await using (cluster.Freeze())
        {
            check = client.GetAsync("/v1/usage-check");
            read = await client.GetAsync($"/v1/subnets/{id}");
            // Held well past the deadline before the database wakes up.
            await Task.Delay(deadline * 2);
            Assert.False(check.IsCompleted, "the usage check was answered while the database was stopped");
        }

        await IpamServer.ExpectProblemAsync(read, 503, "store-unavailable");
        var answer = await IpamServer.ExpectAsync(await check, 200);
        Assert.Equal(1, (int)answer["subnets_checked"]!);
    }

    [Fact]
    public async Task Requests_DatabaseDown_503WithAGenericDetailAndTheCauseLogged()
    {
        var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, postgresUrl: await cluster.CreateDatabaseUrlAsync());
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.81.0.0/24" }))["id"]!;

        await cluster.DisposeAsync();

        Assert.Equal(StoreFailures.Unavailable, await StoreFailures.ExpectGenericAsync(server, await server.Client.GetAsync($"/v1/subnets/{id}")));
        Assert.Equal(StoreFailures.Unavailable, await StoreFailures.ExpectGenericAsync(server, await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { })));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/readyz")).StatusCode);
    }
}
