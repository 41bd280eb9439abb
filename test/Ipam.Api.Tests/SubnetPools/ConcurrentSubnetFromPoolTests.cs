using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>Many clients allocating subnets from one pool at once.</summary>
public abstract class ConcurrentSubnetFromPoolTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task CreateSubnet_SixteenClientsOnOnePool_NeverOverlapAndFillItExactly()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: Api.Store);
        var pool = await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync("/v1/subnet-pools", new
        {
            name = "race",
            prefixes = new[] { "10.140.0.0/20", "10.141.0.0/22" },
            min_prefixlen = 20,
            max_prefixlen = 28,
            default_prefixlen = 26,
        }), 201);
        var poolId = Id(pool);
        var created = new ConcurrentBag<string>();
        var refusals = new ConcurrentBag<string>();
        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var specificTries = 0;
            while (true)
            {
                object body = client % 4 == 0 && specificTries++ < 20
                    ? new { subnet_pool_id = poolId, cidr = $"10.140.{random.Next(16)}.{random.Next(4) * 64}/26" }
                    : new { subnet_pool_id = poolId, prefixlen = 24 + random.Next(5) };
                var response = await server.Client.PostAsJsonAsync("/v1/subnets", body);
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    var problem = await IpamServer.ExpectProblemAsync(response, 409, "prefix-unavailable");
                    refusals.Add((string)problem["code"]!);
                    if (problem["cidr"] is null && (int)problem["prefixlen"]! == 28)
                    {
                        return;
                    }

                    continue;
                }

                created.Add((string)(await IpamServer.ExpectAsync(response, 201))["cidr"]!);
            }
        })).ToArray();
        await Task.WhenAll(clients);

        // The checker: every subnet the server handed out, and what it reports as free, tile the pool exactly.
        var cidrs = created.Select(Cidr.Parse).OrderBy(c => c.Network).ToList();
        for (var i = 1; i < cidrs.Count; i++)
        {
            Assert.True(cidrs[i - 1].Last < cidrs[i].First, $"{cidrs[i - 1]} overlaps {cidrs[i]}");
        }

        var available = (await server.GetJsonAsync($"/v1/subnet-pools/{poolId}/available-prefixes"))["prefixes"]!.AsArray();
        Assert.Empty(available);
        var total = cidrs.Aggregate(UInt128.Zero, (sum, c) => sum + c.Range.Count);
        Assert.Equal((UInt128)(4096 + 1024), total);
        var stored = new List<string>();
        string? cursor = null;
        do
        {
            var page = await server.GetJsonAsync($"/v1/subnets?subnet_pool_id={poolId}&limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
            stored.AddRange(page["items"]!.AsArray().Select(s => (string)s!["cidr"]!));
            cursor = (string?)page["next"];
        }
        while (cursor is not null);

        Assert.Equal(created.Order(), stored.Order());
    }
}

public sealed class ConcurrentSubnetFromPoolTestsOnSqlite(SqliteApiFixture api) : ConcurrentSubnetFromPoolTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ConcurrentSubnetFromPoolTestsOnPostgres(PostgresApiFixture api) : ConcurrentSubnetFromPoolTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ConcurrentSubnetFromPoolTestsOnThreeInstances(ThreeInstancesApiFixture api) : ConcurrentSubnetFromPoolTests(api), IClassFixture<ThreeInstancesApiFixture>;
