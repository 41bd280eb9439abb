using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Ipam.Api.Tests.Failover;

/// <summary>
/// One Ipam instance on a primary and its synchronous standby, named together in a multi-host URL with
/// <c>target_session_attributes=primary</c>. The primary dies under load and the standby is promoted; the same
/// instance, never restarted, carries on, and nothing it acknowledged is lost.
/// </summary>
[Collection(nameof(FailoverCollection))]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const string Cidr = "10.90.0.0/22";

    /// <summary>Not a timing requirement: only how long to wait before calling the service stuck.</summary>
    private static readonly TimeSpan ResumeBound = TimeSpan.FromSeconds(30);

    /// <summary>How long the standby stays unpromoted after the kill, as an operator or a failover manager would take.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Allocate_PrimaryKilledStandbyPromoted_ResumesAloneAndLosesNothingAcknowledged()
    {
        var phases = Stopwatch.StartNew();
        await using var pair = await ReplicatedPostgres.StartOrSkipAsync();
        var url = await pair.CreateDatabaseUrlAsync();
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, postgresUrl: url, configure: o => o with
        {
            ExpirySweepInterval = TimeSpan.FromMilliseconds(500),
            ClockAlignmentInterval = TimeSpan.FromMilliseconds(500),
        });
        var subnetId = ApiFixture.Id(await server.CreateSubnetAsync(new { cidr = Cidr }));
        var load = new FailoverLoad(server.Client.BaseAddress!, subnetId, Clients);
        output.WriteLine($"primary, standby and Ipam started in {phases.Elapsed.TotalSeconds:F1} s");

        load.Start();
        await Eventually.HoldsAsync(() => load.Acknowledged.Count >= 200, "the load to get going", TimeSpan.FromSeconds(30));
        var killing = Stopwatch.StartNew();
        pair.KillPrimary();
        var killedAt = load.MarkKilled();
        output.WriteLine($"killing the primary took {killing.Elapsed.TotalMilliseconds:F0} ms");
        await Task.Delay(Outage, TestContext.Current.CancellationToken);
        var promotingAt = load.Elapsed;
        await pair.PromoteStandbyAsync();
        var promotedAt = load.Elapsed;
        output.WriteLine($"pg_ctl promote took {(promotedAt - promotingAt).TotalMilliseconds:F0} ms");
        await Eventually.HoldsAsync(() => load.ResumedAfterKill is { } resumed && resumed < ResumeBound, "the service to resume after the failover", ResumeBound);
        await Eventually.HoldsAsync(() => load.AcknowledgedSince(promotedAt) >= 200, "allocations after the promotion", TimeSpan.FromSeconds(30));
        await load.StopAsync();

        var resumedAfter = load.ResumedAfterKill!.Value;
        output.WriteLine($"killed at {killedAt.TotalSeconds:F3} s, promoted {(promotedAt - killedAt).TotalMilliseconds:F0} ms after the kill, "
            + $"first allocation of a request sent after the kill answered {resumedAfter.TotalMilliseconds:F0} ms after the kill "
            + $"({(resumedAfter - (promotedAt - killedAt)).TotalMilliseconds:F0} ms after the promotion)");
        output.WriteLine($"{load.Acknowledged.Count} acknowledged ({load.AcknowledgedSince(killedAt)} of requests sent after the kill), "
            + $"{load.Refused.Count} refused with 503 nothing-changed, {load.OutcomeUnknown.Count} with 503 outcome-unknown");
        output.WriteLine($"load done {phases.Elapsed.TotalSeconds:F1} s after the start");
        Assert.True(load.Failures.IsEmpty, string.Join('\n', load.Failures.Take(5)));

        // Nothing sent after the kill can have been acknowledged before there was a primary again.
        Assert.True(resumedAfter >= promotingAt - killedAt, $"An allocation sent after the kill was acknowledged {resumedAfter} after it, before the promotion.");
        Assert.True(load.Refused.Count + load.OutcomeUnknown.Count > 0, "No request failed: the primary did not die under load.");

        var held = await AllocationsAsync(pair, url, subnetId);
        var acknowledged = load.Acknowledged.ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Address).Distinct().Count());
        var lost = acknowledged.Where(a => !held.TryGetValue(a.Owner, out var address) || address != a.Address).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged allocations are not on the new primary, e.g. {string.Join(", ", lost.Take(5))}");

        // "Nothing was changed" must be true; an unknown outcome may have gone either way.
        var unknown = load.OutcomeUnknown.ToHashSet();
        var unexplained = held.Keys.Except(acknowledged.Select(a => a.Owner)).Where(o => !unknown.Contains(o)).ToList();
        Assert.True(unexplained.Count == 0, $"Allocations no client was told of: {string.Join(", ", unexplained.Take(5))}");

        await ExpectCachesTrueAsync(server, pair, url, subnetId);
        output.WriteLine($"subnet filled {phases.Elapsed.TotalSeconds:F1} s after the start");
        await ExpectBackgroundServicesRunningAsync(server);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
        output.WriteLine($"checks done {phases.Elapsed.TotalSeconds:F1} s after the start");
    }

    /// <summary>
    /// The instance's free-space index must agree with the new primary: allocating every address it calls free
    /// fills the subnet exactly, with none refused as taken nor left over.
    /// </summary>
    private static async Task ExpectCachesTrueAsync(IpamServer server, ReplicatedPostgres pair, string url, string subnetId)
    {
        var usage = (await server.GetJsonAsync($"/v1/subnets/{subnetId}"))["usage"]!;
        var (total, free) = ((int)usage["total"]!, (int)usage["free"]!);
        var fill = await server.Client.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", new { count = free, owner = "fill" });
        await IpamServer.ExpectAsync(fill, 201);
        var full = await server.Client.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", new { owner = "one-too-many" });
        await IpamServer.ExpectProblemAsync(full, 409, "pool-exhausted");
        var held = await RowsAsync(pair, url, subnetId, "SELECT owner, ip FROM allocations WHERE subnet_id = $1");
        Assert.Equal(total, held.Count);

        // Every allocation on the new primary, and none other, has its entry in the change log the caches follow.
        var logged = await RowsAsync(pair, url, subnetId, "SELECT actor, ip_address FROM changes WHERE subnet_id = $1 AND type = 'allocation.created'");
        Assert.Equal(held.Select(h => h.Address).Order(), logged.Select(l => l.Address).Order());
    }

    /// <summary>The expiry sweep, the clock alignment and the other background services are still at work after the failover.</summary>
    private static async Task ExpectBackgroundServicesRunningAsync(IpamServer server)
    {
        var services = server.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        Assert.NotEmpty(services);
        Assert.All(services, s => Assert.False(s.ExecuteTask?.IsCompleted ?? false, $"{s.GetType().Name} stopped: {s.ExecuteTask?.Exception}"));

        var reservationSubnet = ApiFixture.Id(await server.CreateSubnetAsync(new { cidr = "10.91.0.0/29" }));
        var reservation = await server.AllocateAsync(reservationSubnet, new { expires_at = DateTimeOffset.UtcNow.AddSeconds(1) });
        var address = (string)reservation["ip_address"]!;
        await Eventually.HoldsAsync(
            async () => (await server.Client.GetAsync($"/v1/subnets/{reservationSubnet}/allocations/{address}")).StatusCode == HttpStatusCode.NotFound,
            "the expiry sweep to release a reservation on the new primary", TimeSpan.FromSeconds(15));
    }

    /// <summary>The subnet's allocations on the promoted standby, by owner.</summary>
    private static async Task<Dictionary<string, string>> AllocationsAsync(ReplicatedPostgres pair, string url, string subnetId) =>
        (await RowsAsync(pair, url, subnetId, "SELECT owner, ip FROM allocations WHERE subnet_id = $1")).ToDictionary(r => r.Key, r => r.Address);

    /// <summary>
    /// (text, address) rows of <paramref name="sql"/> on the promoted standby; an address is text, or 16 bytes
    /// (an allocation's, IPv4 in the last four).
    /// </summary>
    private static async Task<List<(string Key, string Address)>> RowsAsync(ReplicatedPostgres pair, string url, string subnetId, string sql)
    {
        await using var connection = new NpgsqlConnection(ReplicatedPostgres.AdminConnectionString(pair.StandbyPort, ReplicatedPostgres.DatabaseOf(url)));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(Guid.Parse(subnetId));
        var rows = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader[1] is byte[] bytes ? new IPAddress(bytes[12..]).ToString() : reader.GetString(1)));
        }

        return rows;
    }
}
