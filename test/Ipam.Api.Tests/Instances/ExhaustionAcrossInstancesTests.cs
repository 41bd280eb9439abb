using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;
using static Ipam.Api.Tests.Instances.InstanceRequests;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Three instances on one database: each counts a subnet's free and allocated addresses exactly as the
/// database holds them, whichever instance made the changes, and refusing a full subnet costs no index rebuild.
/// </summary>
public sealed class ExhaustionAcrossInstancesTests
{
    [Fact]
    public async Task Exhausted_AfterWritesThroughEveryInstance_EveryInstanceCountsExactly()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b, c) = (server.InstanceClients[0], server.InstanceClients[1], server.InstanceClients[2]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.81.0.0/28" }));
        await AllocateAsync(b, id, new { ip_address = "10.81.0.9" });
        var bulk = (await AllocateAsync(a, id, new { count = 4 }))["items"]!.AsArray().Select(i => Ip(i!.AsObject())).ToList();
        await AllocateAsync(b, id, new { ip_address = "10.81.0.1", allow_gateway = true }); // outside the pool: not counted
        await NextAsync(c, id);
        await NextAsync(c, id);
        await ReleaseAsync(b, id, bulk[0]);
        await ReleaseAsync(c, id, "10.81.0.9");
        await AllocateAsync(a, id, new { strategy = "next", expires_at = DateTimeOffset.UtcNow.AddHours(1) });

        // 13 pool addresses; 1 + 4 + 2 - 2 + 1 = 6 of them allocated.
        foreach (var instance in server.InstanceClients)
        {
            await ExhaustedAsync(instance, id, new { count = 8 }, requested: 8, free: 7, poolSize: 13, allocated: 6);
            await ExhaustedAsync(instance, id, new { count = 8, strategy = "next" }, requested: 8, free: 7, poolSize: 13, allocated: 6);
        }

        Assert.Equal(7, (await AllocateAsync(b, id, new { count = 7 }))["items"]!.AsArray().Count);
        foreach (var instance in server.InstanceClients)
        {
            await ExhaustedAsync(instance, id, new { }, requested: 1, free: 0, poolSize: 13, allocated: 13);
            var subnet = await IpamServer.ExpectAsync(await instance.GetAsync($"/v1/subnets/{id}"), 200);
            Assert.Equal(("13", "0", "1"), (Usage(subnet, "allocated"), Usage(subnet, "free"), Usage(subnet, "outside_pools")));
        }

        Assert.Equal(14, await Database.CountAllocationsAsync(server, id));
    }

    [Fact]
    public async Task Refusal_OnFullSubnet_KeepsEveryInstancesIndexAndReleasesCatchItUp()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b, c) = (server.InstanceClients[0], server.InstanceClients[1], server.InstanceClients[2]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.81.1.0/29" }));
        await AllocateAsync(a, id, new { count = 5 });
        foreach (var instance in server.InstanceClients)
        {
            await ExhaustedAsync(instance, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);
        }

        var indexes = await IndexesAsync(server, id);
        Assert.All(indexes, Assert.NotNull);
        for (var round = 0; round < 3; round++)
        {
            foreach (var instance in server.InstanceClients)
            {
                await ExhaustedAsync(instance, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);
                await ExhaustedAsync(instance, id, new { strategy = "next" }, requested: 1, free: 0, poolSize: 5, allocated: 5);
                await ExhaustedAsync(instance, id, new { count = 2 }, requested: 2, free: 0, poolSize: 5, allocated: 5);
            }
        }

        AssertSameIndexes(indexes, await IndexesAsync(server, id));

        // A release through A reaches B's and C's indexes by catching up from the log, not by a rebuild.
        await ReleaseAsync(a, id, "10.81.1.3");
        Assert.Equal("10.81.1.3", await NextAsync(b, id));
        await ExhaustedAsync(c, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);
        AssertSameIndexes(indexes, await IndexesAsync(server, id));
    }

    [Fact]
    public async Task ConcurrentBulkRequests_OnANearlyFullSubnet_EveryRefusalNamesItsOwnCount()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        for (var round = 0; round < 4; round++)
        {
            var id = Id(await server.CreateSubnetAsync(new
            {
                cidr = $"10.82.{round}.0/24",
                allocation_pools = new[] { new { start = $"10.82.{round}.10", end = $"10.82.{round}.109" } },
            }));
            await AllocateAsync(server.InstanceClients[0], id, new { count = 70 });

            var requests = Enumerable.Range(0, 60).Select(async i =>
            {
                var count = 1 + (i % 4);
                var instance = server.InstanceClients[i % 3];
                var body = new { count, strategy = i % 2 == 0 ? "next" : "random" };
                var response = await instance.PostAsJsonAsync($"/v1/subnets/{id}/allocations", body);
                return (count, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            });
            var answers = await Task.WhenAll(requests);

            var granted = 0;
            foreach (var (count, status, text) in answers)
            {
                if (status == HttpStatusCode.Created)
                {
                    granted += count;
                    continue;
                }

                Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {text}");
                var problem = JsonNode.Parse(text)!.AsObject();
                Assert.Equal("pool-exhausted", (string?)problem["code"]);
                Assert.Equal(count, (int)problem["requested"]!);
                Assert.True((int)problem["free"]! < count, text);
                Assert.Equal(100, (int)problem["free"]! + (int)problem["allocated"]!);
            }

            Assert.Equal(70 + granted, await Database.CountAllocationsAsync(server, id));
        }
    }

    private static async Task<object?[]> IndexesAsync(IpamServer server, string subnetId) =>
        await Task.WhenAll(server.InstanceServices.Select(async s => (object?)await CachedIndex.OfAsync(s, subnetId)));

    private static void AssertSameIndexes(object?[] before, object?[] after)
    {
        for (var i = 0; i < before.Length; i++)
        {
            Assert.True(ReferenceEquals(before[i], after[i]), $"instance {i} rebuilt its index of the subnet");
        }
    }
}
