using System.Globalization;
using System.Text.Json.Nodes;
using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ipam.Api.Tests.History.AllocationHistoryTests;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.History;

/// <summary>
/// History answers after a random workload with releases and expiries match what the workload did: every
/// (subnet, address) history, who held each address at many times (before and after a subnet is deleted), and
/// each owner's allocations.
/// </summary>
public abstract class HistoryWorkloadTests(StoreKind store)
{
    private const int Steps = 240;

    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(11)]
    [InlineData(22)]
    [InlineData(33)]
    public async Task RandomWorkload_HistoryAnswersMatchTheModel(int seed)
    {
        var clock = new ManualClock(Start);
        await using var server = await IpamServer.StartAsync(new SeededRandomSource(seed), clock, durableCommits: false, store: store);
        var workload = new HistoryWorkload(server, clock, new Random(seed));
        await workload.CreateSubnetsAsync("10.80.0.0/28", "10.80.0.0/29", "10.80.0.8/29");
        for (var step = 0; step < Steps; step++)
        {
            await workload.StepAsync();
        }

        // The workload did what it is for: addresses were released, and reservations ran out on both paths.
        var periods = workload.Pools.SelectMany(p => p.Value.SelectMany(ip => workload.Model.History(p.Key, ip))).ToList();
        Assert.Contains(periods, p => p.Reason == "released");
        Assert.True(workload.Expiries is { Swept: > 0, Reclaimed: > 0 }, $"Expiries: {workload.Expiries}");
        await CheckHistoriesAsync(server, workload);
        await CheckHoldersAsync(server, workload);
        await CheckOwnersAsync(server, workload);

        var deleted = workload.Pools.Keys.ElementAt(1);
        await workload.DeleteSubnetAsync(deleted);
        await CheckHoldersAsync(server, workload);
        await ProblemAsync(await server.Client.GetAsync($"/v1/subnets/{deleted}/allocations/10.80.0.2/history"), 404, "subnet-not-found");
    }

    /// <summary>Every (subnet, address) history, read in pages of a few items.</summary>
    private static async Task CheckHistoriesAsync(IpamServer server, HistoryWorkload workload)
    {
        var pages = new Random(5);
        foreach (var (subnet, pool) in workload.Pools)
        {
            foreach (var ip in pool)
            {
                var listed = await ListAllAsync(server, $"/v1/subnets/{subnet}/allocations/{ip}/history", pages.Next(1, 5));
                var expected = workload.Model.History(subnet, ip);
                Assert.True(expected.Count == listed.Count, $"{subnet} {ip}: expected {string.Join("; ", expected)}, got {Show(listed)}");
                for (var i = 0; i < expected.Count; i++)
                {
                    var (period, item) = (expected[i], listed[i]);
                    Assert.Equal(ip, (string?)item["ip_address"]);
                    Assert.Equal(period.Owner, (string?)item["owner"]);
                    Assert.Equal(period.AllocatedAt, Time(item["allocated_at"]));
                    Assert.Equal("anonymous", (string?)item["allocated_by"]);
                    Assert.Equal(period.ReleasedAt, item["released_at"] is null ? null : Time(item["released_at"]));
                    Assert.Equal(period.ReleasedBy, (string?)item["released_by"]);
                    Assert.Equal(period.Reason, (string?)item["release_reason"]);
                }
            }
        }
    }

    /// <summary>Who held each address now and at every few seconds of the workload, and at each edge.</summary>
    private static async Task CheckHoldersAsync(IpamServer server, HistoryWorkload workload)
    {
        var end = (int)(server.Services.GetRequiredService<TimeProvider>().GetUtcNow() - Start).TotalSeconds;
        var times = Enumerable.Range(0, end + 2).Where(s => s % 7 == 0 || s >= end - 1).Select(s => (DateTimeOffset?)Start.AddSeconds(s)).Append(null);
        foreach (var ip in workload.Pools.Values.SelectMany(p => p).Distinct())
        {
            foreach (var time in times)
            {
                var query = time is { } at ? "?at=" + Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) : "";
                var listed = (await server.GetJsonAsync($"/v1/addresses/{ip}{query}"))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
                var expected = workload.Model.Holders(ip, time)
                    .Select(p => $"{p.Subnet} {p.Owner} {p.AllocatedAt:O} {p.ReleasedAt:O} {p.Reason}")
                    .Order(StringComparer.Ordinal);
                var actual = listed
                    .Select(h => $"{h["subnet_id"]} {h["owner"]} {Time(h["allocated_at"]):O} {(h["released_at"] is null ? "" : Time(h["released_at"]).ToString("O"))} {h["release_reason"]}")
                    .Order(StringComparer.Ordinal);
                Assert.True(expected.SequenceEqual(actual), $"{ip} at {time:O}: expected {string.Join("; ", expected)}, got {string.Join("; ", actual)}");
            }
        }
    }

    private static async Task CheckOwnersAsync(IpamServer server, HistoryWorkload workload)
    {
        foreach (var owner in new[] { "o0", "o1", "o2", "o3" })
        {
            var listed = await ListAllAsync(server, $"/v1/allocations?owner={owner}", 3);
            Assert.Equal(workload.Model.OfOwner(owner).Select(p => (p.Subnet, p.Ip)), listed.Select(a => ((string)a["subnet_id"]!, Ip(a))));
        }
    }

    private static async Task<List<JsonObject>> ListAllAsync(IpamServer server, string path, int limit)
    {
        var items = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = await server.GetJsonAsync($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}limit={limit}" +
                (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var batch = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            Assert.True(batch.Count <= limit);
            items.AddRange(batch);
            cursor = (string?)page["next"];
        }
        while (cursor is not null);
        return items;
    }

    private static string Show(List<JsonObject> items) => string.Join("; ", items.Select(i => i.ToJsonString()));
}

public sealed class HistoryWorkloadTestsOnSqlite() : HistoryWorkloadTests(StoreKind.Sqlite);

public sealed class HistoryWorkloadTestsOnPostgres() : HistoryWorkloadTests(StoreKind.Postgres);
