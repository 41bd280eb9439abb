using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Ipam.Storage;
using Ipam.Storage.Postgres;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// The change log as a follower sees it while three instances write at once: every change exactly once, in
/// commit order, and replaying it gives exactly the allocations the database holds. One follower reads the log
/// through a store of its own, page after page after a cursor, as the events feed does; the other follows
/// <c>GET /v1/events</c> round-robin over the three instances, as a client of the service would.
/// </summary>
public sealed class ChangeFeedTests
{
    private const int ClientsPerInstance = 16;
    private const int RequestsPerClient = 20;

    [Fact]
    public async Task Followers_OfStoreAndOfEvents_WhileThreeInstancesWrite_SeeTheWholeLogInOrderAndItReplaysToTheRows()
    {
        await using var server = await IpamServer.StartAsync(
            durableCommits: false, store: StoreKind.ThreePostgresInstances,
            // A load test on a shared 2-core machine, not a latency test: the fixtures' deadline.
            configure: options => options with { RequestTimeout = TimeSpan.FromMinutes(2) });
        List<(string Id, string Network, int PoolSize)> subnets = [];
        foreach (var (network, prefix, poolSize) in new[] { ("10.100.0", 26, 61), ("10.101.0", 25, 125), ("10.102.0", 24, 253) })
        {
            subnets.Add((Id(await server.CreateSubnetAsync(new { cidr = $"{network}.0/{prefix}" })), network, poolSize));
        }

        var cluster = await SharedPostgres.GetAsync();
        await using var feedStore = new PostgresStore(cluster.ConnectionStringFor(server.Options.Database.Target));
        ChangeFollower[] followers = [ChangeFollower.OfStore(feedStore, pageSize: 25), ChangeFollower.OfEvents(server.Client, pageSize: 25)];
        var following = Task.WhenAll(followers.Select(f => Task.Run(f.RunAsync)));
        var load = new FeedLoad(server.InstanceClients, subnets);
        await load.RunAsync(ClientsPerInstance, RequestsPerClient);

        // Once every reservation has run out, one instance sweeps what the others left: then nothing writes any more.
        var wait = load.LastExpiry - DateTimeOffset.UtcNow;
        await Task.Delay(wait > TimeSpan.Zero ? wait + TimeSpan.FromMilliseconds(50) : TimeSpan.Zero);
        await server.InstanceServices[1].GetRequiredService<AllocationService>().ReleaseExpiredAsync();
        Array.ForEach(followers, f => f.Drain());
        await following;

        var (log, rows) = await feedStore.ReadAsync(async (session, ct) =>
            (await ReadLogAsync(session, ct), await ReadAllocationsAsync(session, subnets.Select(s => Guid.Parse(s.Id)), ct)));
        Assert.All(followers, follower =>
        {
            Assert.True(follower.PagesWhileWriting > 5, $"a follower read only {follower.PagesWhileWriting} pages while the instances wrote");
            Assert.Equal(log.Select(FeedEntry.Of), follower.Seen);
        });
        AssertReplaysTo(log, rows);
        AssertMatchesAcknowledged(log, load);
    }

    /// <summary>
    /// Per address, allocation changes alternate created, ended, created...; replayed (created adds, released or
    /// expired removes) they leave exactly the allocation rows, each from a created change made when the row was.
    /// </summary>
    private static void AssertReplaysTo(IReadOnlyList<Change> log, IReadOnlyList<Allocation> rows)
    {
        var live = new Dictionary<(Guid, IpAddress), Change>();
        foreach (var change in log.Where(c => c.Address is not null))
        {
            var key = (change.SubnetId!.Value, change.Address!.Value);
            if (change.Type == ChangeTypes.AllocationCreated)
            {
                Assert.True(live.TryAdd(key, change), $"change {change.Sequence} creates {key} again without an end in between");
            }
            else
            {
                Assert.True(ChangeTypes.EndsAllocation(change.Type), $"change {change.Sequence} has an address and type {change.Type}");
                Assert.True(live.Remove(key), $"change {change.Sequence} ends {key}, which was not allocated");
            }
        }

        Assert.Equal(rows.Select(r => $"{r.SubnetId} {r.Address}").Order(), live.Keys.Select(k => $"{k.Item1} {k.Item2}").Order());
        Assert.All(rows, row => Assert.Equal(row.CreatedAt, live[(row.SubnetId, row.Address)].At));
    }

    /// <summary>One created change per acknowledged allocation, one released change per acknowledged release, one update per PATCH.</summary>
    private static void AssertMatchesAcknowledged(IReadOnlyList<Change> log, FeedLoad load)
    {
        static List<string> Sorted(IEnumerable<(string SubnetId, string Address)> changes) => [.. changes.Select(c => $"{c.SubnetId} {c.Address}").Order()];

        List<(string, string)> Of(string type, string? reason = null) => [.. log
            .Where(c => c.Type == type && (reason is null || c.Reason == reason))
            .Select(c => (c.SubnetId!.Value.ToString(), c.Address!.Value.ToString()))];

        Assert.Equal(Sorted(load.Created), Sorted(Of(ChangeTypes.AllocationCreated)));
        Assert.Equal(Sorted(load.Released), Sorted(Of(ChangeTypes.AllocationReleased, ReleaseReasons.Released)));
        Assert.Equal(load.Updates, log.Count(c => c.Type == ChangeTypes.SubnetUpdated));
        Assert.True(load.Released.Count > 100, $"{load.Created.Count} created, {load.Released.Count} released, {load.Refusals} refused");
        Assert.NotEmpty(Of(ChangeTypes.AllocationExpired));
    }

    private static async Task<IReadOnlyList<Change>> ReadLogAsync(IIpamSession session, CancellationToken ct)
    {
        var log = new List<Change>();
        while (true)
        {
            var page = await session.ListChangesAsync(new ChangeQuery { After = log.Count == 0 ? 0 : log[^1].Sequence, Limit = 1000 }, ct);
            if (page.Count == 0)
            {
                return log;
            }

            log.AddRange(page);
        }
    }

    private static async Task<IReadOnlyList<Allocation>> ReadAllocationsAsync(IIpamSession session, IEnumerable<Guid> subnetIds, CancellationToken ct)
    {
        var rows = new List<Allocation>();
        foreach (var id in subnetIds)
        {
            // The load's subnets hold at most 253 pool addresses.
            rows.AddRange(await session.ListAllocationsAsync(new AllocationQuery { SubnetId = id, Limit = 1000 }, ct));
        }

        return rows;
    }
}
