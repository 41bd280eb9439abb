using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// A subnet's pools shrink (and its gateway moves into the old pool space) while clients allocate from it: an
/// allocation chosen from the subnet as it was before must not commit after the update, on any instance.
/// </summary>
public abstract class PoolShrinkRaceTests(StoreKind store)
{
    private const int Clients = 8;
    private const int Rounds = 3;

    [Fact]
    public async Task UpdatePools_ShrinkWhileClientsAllocate_NoAllocationOutsideTheNewPoolsOrOnTheNewGatewayAfterTheUpdate()
    {
        await using var server = await IpamServer.StartAsync(store: store);
        for (var round = 0; round < Rounds; round++)
        {
            var third = 64 + (round * 4);
            var id = (string)(await server.CreateSubnetAsync(new { cidr = $"10.{third}.0.0/20" }))["id"]!;
            var pool = new AddressRange(IpAddress.Parse($"10.{third}.0.100"), IpAddress.Parse($"10.{third}.1.200"));
            var answers = new ConcurrentBag<Answer>();
            var clock = Stopwatch.StartNew();
            long updatedAt = long.MaxValue;
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var sentAt = clock.ElapsedTicks;
                    var response = await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", Body(client));
                    answers.Add(await Answer.ReadAsync(response, sentAt));
                }
            })).ToArray();

            await WaitForAsync(() => answers.Count(a => a.Status == HttpStatusCode.Created) >= 30);
            var gateway = await ShrinkAsync(server, id, pool, IpAddress.Parse($"10.{third}.15.254"), answers);
            Interlocked.Exchange(ref updatedAt, clock.ElapsedTicks);
            await WaitForAsync(() => answers.Count(a => a.Status == HttpStatusCode.Created && a.SentAt > Interlocked.Read(ref updatedAt)) >= 40);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created || a.Code == "pool-exhausted", $"{a.Status} {a.Code}"));
            var outside = answers.SelectMany(a => a.Addresses).Where(ip => !pool.Contains(ip)).ToList();
            Assert.NotEmpty(outside);
            Assert.DoesNotContain(gateway, answers.SelectMany(a => a.Addresses));
            Assert.All(answers.Where(a => a.SentAt > updatedAt), a => Assert.All(a.Addresses, ip => Assert.True(pool.Contains(ip), $"{ip} sent after the update")));
            Assert.Equal(outside.Count, await CountCreatedAsync(server, id, outside, afterTheUpdate: false));
            Assert.Equal(0, await CountCreatedAsync(server, id, outside, afterTheUpdate: true));
        }
    }

    private static object Body(int client) => (client % 3) switch
    {
        0 => new { strategy = "random" },
        1 => new { strategy = "next" },
        _ => (object)new { strategy = "random", count = 3 },
    };

    /// <summary>
    /// Shrinks the pools to <paramref name="pool"/> and moves the gateway to a high address outside it: the highest
    /// one no client has been given yet, trying the next one down while a client holds the chosen one; returns the
    /// new gateway.
    /// </summary>
    private static async Task<IpAddress> ShrinkAsync(IpamServer server, string id, AddressRange pool, IpAddress highest, ConcurrentBag<Answer> answers)
    {
        var tried = new HashSet<IpAddress>();
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 100, "Every gateway candidate was taken before the update could claim it.");
            var given = answers.SelectMany(a => a.Addresses).ToHashSet();
            var gateway = highest;
            while (given.Contains(gateway) || tried.Contains(gateway))
            {
                gateway = new IpAddress(gateway.Version, gateway.Value - 1);
            }

            tried.Add(gateway);
            var response = await server.Client.PatchAsJsonAsync($"/v1/subnets/{id}", new
            {
                gateway_ip = gateway.ToString(),
                allocation_pools = new[] { new { start = pool.First.ToString(), end = pool.Last.ToString() } },
            });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return gateway;
            }

            await IpamServer.ExpectProblemAsync(response, 409, "address-in-use");
        }
    }

    /// <summary>
    /// How many of <paramref name="addresses"/> the change log shows allocated in the subnet: all told, or after the
    /// subnet's update (the log is in commit order).
    /// </summary>
    private static async Task<long> CountCreatedAsync(IpamServer server, string id, IEnumerable<IpAddress> addresses, bool afterTheUpdate)
    {
        var list = string.Join(", ", addresses.Select(a => $"'{a}'"));
        var after = afterTheUpdate ? "AND seq > (SELECT max(seq) FROM changes WHERE type = 'subnet.updated' AND subnet_id = @id)" : "";
        return await Database.ScalarAsync(server,
            $"SELECT count(*) FROM changes WHERE type = 'allocation.created' AND subnet_id = @id AND ip_address IN ({list}) {after}", id);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The clients made too little progress.");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    private sealed record Answer(HttpStatusCode Status, string? Code, long SentAt, IReadOnlyList<IpAddress> Addresses)
    {
        public static async Task<Answer> ReadAsync(HttpResponseMessage response, long sentAt)
        {
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            var items = json["items"]?.AsArray().Select(i => i!.AsObject()) ?? (response.StatusCode == HttpStatusCode.Created ? [json] : []);
            return new Answer(response.StatusCode, (string?)json["code"], sentAt, [.. items.Select(i => IpAddress.Parse((string)i["ip_address"]!))]);
        }
    }
}

public sealed class PoolShrinkRaceTestsOnSqlite() : PoolShrinkRaceTests(StoreKind.Sqlite);

public sealed class PoolShrinkRaceTestsOnPostgres() : PoolShrinkRaceTests(StoreKind.Postgres);

public sealed class PoolShrinkRaceTestsOnThreeInstances() : PoolShrinkRaceTests(StoreKind.ThreePostgresInstances);
