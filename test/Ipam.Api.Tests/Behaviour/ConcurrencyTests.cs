using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Subnets;

namespace Ipam.Api.Tests.Behaviour;

public abstract class ConcurrencyTests(StoreKind store)
{
    [Fact]
    public async Task Allocate_SixteenClientsUntilExhaustion_EveryPoolAddressExactlyOnce()
    {
        await using var server = await IpamServer.StartAsync(store: store);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.20.0.0/25" });
        var id = (string)subnet["id"]!;
        var cidr = Cidr.Parse("10.20.0.0/25");
        var expected = SubnetRules.DefaultPools(cidr, SubnetRules.DefaultGateway(cidr))
            .SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => r.First.Add((UInt128)i).ToString()))
            .ToHashSet();

        var allocated = new ConcurrentBag<string>();
        var exhaustions = new ConcurrentBag<JsonObject>();
        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            var strategy = client % 2 == 0 ? "random" : "next";
            while (true)
            {
                var response = await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy, owner = $"client-{client}" });
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    exhaustions.Add(await IpamServer.ExpectProblemAsync(response, 409, "pool-exhausted"));
                    return;
                }

                allocated.Add((string)(await IpamServer.ExpectAsync(response, 201))["ip_address"]!);
            }
        })).ToArray();
        await Task.WhenAll(clients);

        Assert.Equal(allocated.Count, allocated.Distinct().Count());
        Assert.Equal(expected, allocated.ToHashSet());
        Assert.Equal(16, exhaustions.Count);
        Assert.All(exhaustions, problem =>
        {
            Assert.Equal(1, (int)problem["requested"]!);
            Assert.Equal(0, (int)problem["free"]!);
            Assert.Equal(expected.Count, (int)problem["pool_size"]!);
            Assert.Equal(expected.Count, (int)problem["allocated"]!);
            Assert.Equal(id, (string?)problem["subnet_id"]);
        });
        Assert.Equal(expected.Count, await Database.CountAllocationsAsync(server, id));
    }

    [Fact]
    public async Task Allocate_SubnetDeletedMeanwhile_OnlySuccessOrSubnetNotFound()
    {
        await using var server = await IpamServer.StartAsync(store: store);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.30.0.0/16" });
        var id = (string)subnet["id"]!;
        using var stop = new CancellationTokenSource();
        var statuses = new ConcurrentBag<(int Status, string? Code)>();
        var clients = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            while (true)
            {
                var body = client % 3 == 0 ? (object)new { count = 5 } : new { strategy = client % 2 == 0 ? "random" : "next" };
                var response = await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", body);
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                statuses.Add(((int)response.StatusCode, (string?)json["code"]));
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return;
                }
            }
        })).ToArray();

        while (statuses.Count(s => s.Status == 201) < 40)
        {
            await Task.Delay(5);
        }

        var delete = await server.Client.DeleteAsync($"/v1/subnets/{id}?force=true");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await Task.WhenAll(clients);

        Assert.All(statuses, s => Assert.True(s.Status == 201 || (s.Status == 404 && s.Code == "subnet-not-found"), $"{s.Status} {s.Code}"));
        Assert.Equal(8, statuses.Count(s => s.Status == 404));
        Assert.Equal(0, await Database.CountAllocationsAsync(server, id));
        Assert.Equal(0, await Database.CountAllAllocationsAsync(server));
    }

    [Fact]
    public async Task Delete_WithoutForceRacingAllocations_NeverDeletesAnAcknowledgedAllocation()
    {
        await using var server = await IpamServer.StartAsync(store: store);
        for (var round = 0; round < 10; round++)
        {
            var subnet = await server.CreateSubnetAsync(new { cidr = $"10.70.{round}.0/24" });
            var id = (string)subnet["id"]!;
            var allocations = Enumerable.Range(0, 6)
                .Select(_ => server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "next" }))
                .ToList();
            var delete = server.Client.DeleteAsync($"/v1/subnets/{id}");
            var answers = await Task.WhenAll(allocations);
            var deleted = await delete;

            var acknowledged = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
            if (deleted.StatusCode == HttpStatusCode.NoContent)
            {
                // The delete won: no allocation may have been acknowledged, and the rest found no subnet.
                Assert.Equal(0, acknowledged);
                Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
            }
            else
            {
                await IpamServer.ExpectProblemAsync(deleted, 409, "in-use");
                Assert.True(acknowledged > 0);
                Assert.Equal(acknowledged, await Database.CountAllocationsAsync(server, id));
            }
        }
    }

    [Fact]
    public async Task Allocate_ConflictingRequestsInOneBatch_FailuresDoNotFailNeighbours()
    {
        await using var server = await IpamServer.StartAsync(store: store);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.40.0.0/24" });
        var id = (string)subnet["id"]!;
        await server.AllocateAsync(id, new { ip_address = "10.40.0.100", owner = "first" });

        var requests = Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.40.0.100" })
            : server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "random" })).ToArray();
        var responses = await Task.WhenAll(requests);

        for (var i = 0; i < responses.Length; i++)
        {
            if (i % 2 == 0)
            {
                var problem = await IpamServer.ExpectProblemAsync(responses[i], 409, "address-in-use");
                Assert.Equal("first", (string?)problem["owner"]);
            }
            else
            {
                await IpamServer.ExpectAsync(responses[i], 201);
            }
        }

        Assert.Equal(31, await Database.CountAllocationsAsync(server, id));
    }
}

public sealed class ConcurrencyTestsOnSqlite() : ConcurrencyTests(StoreKind.Sqlite);

public sealed class ConcurrencyTestsOnPostgres() : ConcurrencyTests(StoreKind.Postgres);

public sealed class ConcurrencyTestsOnThreeInstances() : ConcurrencyTests(StoreKind.ThreePostgresInstances);
