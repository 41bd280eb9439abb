using System.Net;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Allocations;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// With a cache budget too small for more than one subnet's index, every subnet's index is dropped when another
/// is used and rebuilt from the database when its subnet comes back: answers stay exactly those of a cache that
/// keeps everything, and memory stays bounded.
/// </summary>
public abstract class CacheBudgetTests(StoreKind store)
{
    [Fact]
    public async Task TinyBudget_SubnetsUsedInTurn_NextAndExhaustionAsWithoutABudget()
    {
        await using var server = await IpamServer.StartAsync(
            durableCommits: false, store: store, configure: options => options with { CacheBytes = 1 });
        var ids = new List<string>();
        for (var s = 0; s < 3; s++)
        {
            ids.Add((string)(await server.CreateSubnetAsync(new { cidr = $"10.170.{s}.0/29" }))["id"]!);
        }

        // Each round takes the next address in every subnet in turn, so each request finds its index dropped.
        for (var host = 1; host <= 5; host++)
        {
            foreach (var id in ids)
            {
                Assert.Equal($"10.170.{ids.IndexOf(id)}.{host + 1}", (string)(await server.AllocateAsync(id, new { strategy = "next" }))["ip_address"]!);
            }
        }

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/subnets/{ids[1]}/allocations/10.170.1.4")).StatusCode);
        foreach (var id in ids)
        {
            var response = await server.Client.PostAsync($"/v1/subnets/{id}/allocations", null);
            if (id == ids[1])
            {
                Assert.Equal("10.170.1.4", (string)(await IpamServer.ExpectAsync(response, 201))["ip_address"]!);
            }
            else
            {
                var problem = await IpamServer.ExpectProblemAsync(response, 409, "pool-exhausted");
                Assert.Equal(0, (int)problem["free"]!);
            }
        }

        var cache = server.Services.GetRequiredService<FreeSpaceCache>();
        Assert.True(cache.Count <= 1, $"{cache.Count} indexes cached under a budget of one byte");
    }
}

public sealed class CacheBudgetTestsOnSqlite() : CacheBudgetTests(StoreKind.Sqlite);

public sealed class CacheBudgetTestsOnPostgres() : CacheBudgetTests(StoreKind.Postgres);

public sealed class CacheBudgetTestsOnThreeInstances() : CacheBudgetTests(StoreKind.ThreePostgresInstances);
