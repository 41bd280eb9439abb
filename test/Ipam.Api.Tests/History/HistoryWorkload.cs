using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.History;

/// <summary>
/// A seeded random workload on a few overlapping subnets, one request per second of a <see cref="ManualClock"/>:
/// allocations (random, next, specific, bulk; some reservations), releases, and expiries by sweeps and by the
/// server's reclaim paths. The <see cref="HistoryModel"/> records what each answer says happened, and when.
/// </summary>
internal sealed class HistoryWorkload(IpamServer server, ManualClock clock, Random random)
{
    private static readonly string[] Owners = ["o0", "o1", "o2", "o3"];

    private readonly Dictionary<string, List<string>> _pools = [];

    public HistoryModel Model { get; } = new();

    /// <summary>How many reservations ended by each path: the sweeper's work, a full pool's reclaim, a specific request.</summary>
    public (int Swept, int Reclaimed, int TakenOver) Expiries { get; private set; }

    /// <summary>Each subnet's pool addresses, by subnet id.</summary>
    public IReadOnlyDictionary<string, List<string>> Pools => _pools;

    private HttpClient Client => server.Client;

    public async Task CreateSubnetsAsync(params string[] cidrs)
    {
        foreach (var cidr in cidrs)
        {
            var subnet = await server.CreateSubnetAsync(new { cidr });
            _pools[Id(subnet)] = [.. PoolsOf(subnet).SelectMany(Addresses)];
        }
    }

    public async Task StepAsync()
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        var choice = random.Next(100);
        if (choice < 55)
        {
            await AllocateAsync();
        }
        else if (choice < 77)
        {
            await ReleaseAsync();
        }
        else if (choice < 83)
        {
            await SweepAsync();
        }
    }

    /// <summary>Deletes a subnet with its allocations, which end as subnet-deleted.</summary>
    public async Task DeleteSubnetAsync(string subnet)
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        AssertStatus(await Client.DeleteAsync($"/v1/subnets/{subnet}?force=true"), HttpStatusCode.NoContent);
        foreach (var period in Model.Current.Where(p => p.Subnet == subnet).ToList())
        {
            period.End(clock.GetUtcNow(), "subnet-deleted");
        }
    }

    private async Task AllocateAsync()
    {
        var now = clock.GetUtcNow();
        var subnet = _pools.Keys.ElementAt(random.Next(_pools.Count));
        var owner = Owners[random.Next(Owners.Length)];
        DateTimeOffset? expires = random.Next(100) < 35 ? now.AddSeconds(random.Next(1, 6)) : null;
        var body = new JsonObject { ["owner"] = owner };
        if (expires is { } at)
        {
            body["expires_at"] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        var kind = random.Next(100);
        if (kind >= 80)
        {
            await AllocateSpecificAsync(subnet, _pools[subnet][random.Next(_pools[subnet].Count)], body, owner, expires);
            return;
        }

        var count = random.Next(100) < 15 ? 2 : 1;
        body["strategy"] = kind < 60 ? "random" : "next";
        if (count > 1)
        {
            body["count"] = count;
        }

        // The server reclaims a subnet's ended reservations only when the pool has no room without them, and
        // keeps them reclaimed only if that makes room: a refusal changes nothing.
        var reclaimed = Free(subnet) < count ? Model.Pending(now, subnet) : [];
        var response = await Client.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", body);
        if (Free(subnet) + reclaimed.Count < count)
        {
            await ProblemAsync(response, 409, "pool-exhausted");
            return;
        }

        EndAll(reclaimed, now, "expired");
        Expiries = Expiries with { Reclaimed = Expiries.Reclaimed + reclaimed.Count };

        var answer = await IpamServer.ExpectAsync(response, 201);
        var allocated = count > 1 ? [.. answer["items"]!.AsArray().Select(a => Ip(a!.AsObject()))] : new List<string> { Ip(answer) };
        foreach (var ip in allocated)
        {
            Assert.Contains(ip, _pools[subnet]);
            Assert.Null(Model.Holder(subnet, ip));
            Model.Add(new HistoryModel.Period(subnet, ip, owner, now, expires));
        }
    }

    private async Task AllocateSpecificAsync(string subnet, string ip, JsonObject body, string owner, DateTimeOffset? expires)
    {
        var now = clock.GetUtcNow();
        body["ip_address"] = ip;
        var response = await Client.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", body);
        var holder = Model.Holder(subnet, ip);
        if (holder is not null && !(holder.ExpiresAt <= now))
        {
            await ProblemAsync(response, 409, "address-in-use");
            return;
        }

        // A reservation whose time is up gives way to a specific request for its address.
        if (holder is not null)
        {
            holder.End(now, "expired");
            Expiries = Expiries with { TakenOver = Expiries.TakenOver + 1 };
        }
        Assert.Equal(ip, Ip(await IpamServer.ExpectAsync(response, 201)));
        Model.Add(new HistoryModel.Period(subnet, ip, owner, now, expires));
    }

    private async Task ReleaseAsync()
    {
        var current = Model.Current.ToList();
        if (current.Count == 0)
        {
            return;
        }

        var period = current[random.Next(current.Count)];
        AssertStatus(await Client.DeleteAsync($"/v1/subnets/{period.Subnet}/allocations/{period.Ip}"), HttpStatusCode.NoContent);
        period.End(clock.GetUtcNow(), "released");
    }

    /// <summary>What the expiry sweeper does on each tick.</summary>
    private async Task SweepAsync()
    {
        var now = clock.GetUtcNow();
        var pending = Model.Pending(now);
        var released = await server.Services.GetRequiredService<AllocationService>().ReleaseExpiredAsync(TestContext.Current.CancellationToken);
        Assert.Equal(pending.Count, released);
        EndAll(pending, now, "expired");
        Expiries = Expiries with { Swept = Expiries.Swept + pending.Count };
    }

    /// <summary>Free pool addresses as the server counts them: reservations whose time is up still hold theirs.</summary>
    private int Free(string subnet) => _pools[subnet].Count - Model.Current.Count(p => p.Subnet == subnet);

    private static void EndAll(List<HistoryModel.Period> periods, DateTimeOffset at, string reason)
    {
        foreach (var period in periods)
        {
            period.End(at, reason);
        }
    }

    /// <summary>The IPv4 addresses of a "start-end" pool within one /24.</summary>
    private static IEnumerable<string> Addresses(string pool)
    {
        var ends = pool.Split('-');
        var prefix = ends[0][..ends[0].LastIndexOf('.')];
        var first = int.Parse(ends[0][(prefix.Length + 1)..], CultureInfo.InvariantCulture);
        var last = int.Parse(ends[1][(prefix.Length + 1)..], CultureInfo.InvariantCulture);
        return V4Range(prefix, first, last);
    }
}
