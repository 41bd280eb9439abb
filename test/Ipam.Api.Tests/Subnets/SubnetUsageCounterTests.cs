using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// A subnet's usage, read from counters the database keeps, stays right through every request that adds or
/// removes allocations or changes the pools; the usage check finds nothing to repair afterwards.
/// </summary>
public abstract class SubnetUsageCounterTests(ApiFixture api)
{
    [Fact]
    public async Task Usage_ThroughAllocateReleaseExpireBulkPoolUpdate_StaysRight()
    {
        // Pool 10.60.0.10–10.60.0.29 (20 addresses); .200 lies outside it.
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.60.0.0/24", allocation_pools = new[] { new { start = "10.60.0.10", end = "10.60.0.29" } } }));
        await api.AllocateAsync(id);
        await api.AllocateAsync(id, new { strategy = "next" });
        await api.AllocateAsync(id, new { ip_address = "10.60.0.200" });
        await api.PostAsync($"/v1/subnets/{id}/allocations", new { count = 5 });
        await AssertUsageAsync(id, total: 20, allocated: 7, outside: 1);

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.60.0.10"), HttpStatusCode.NoContent);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.60.0.200"), HttpStatusCode.NoContent);
        await AssertUsageAsync(id, total: 20, allocated: 6, outside: 0);

        // A reservation that ran out is released when its address is asked for again.
        await api.AllocateAsync(id, new { ip_address = "10.60.0.201", expires_at = DateTimeOffset.UtcNow.AddSeconds(1) });
        await AssertUsageAsync(id, total: 20, allocated: 6, outside: 1);
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await api.AllocateAsync(id, new { ip_address = "10.60.0.201", owner = "again" });
        await AssertUsageAsync(id, total: 20, allocated: 6, outside: 1);

        // Shrinking the pools moves allocations outside them; growing them brings them back.
        AssertStatus(await api.PatchAsync($"/v1/subnets/{id}", new { allocation_pools = new[] { new { start = "10.60.0.20", end = "10.60.0.29" } } }), HttpStatusCode.OK);
        var inLower = (await api.ListAllAsync($"/v1/subnets/{id}/allocations")).Count(a => Last((string)a["ip_address"]!) is >= 10 and <= 19);
        await AssertUsageAsync(id, total: 10, allocated: 6 - inLower, outside: 1 + inLower);
        AssertStatus(await api.PatchAsync($"/v1/subnets/{id}", new { allocation_pools = new[] { new { start = "10.60.0.10", end = "10.60.0.210" } } }), HttpStatusCode.OK);
        await AssertUsageAsync(id, total: 201, allocated: 7, outside: 0);

        await AssertNoMismatchAsync();
    }

    [Fact]
    public async Task Usage_ForcedDeleteAndImport_CountersFollow()
    {
        var deleted = Id(await api.CreateSubnetAsync(new { cidr = "10.61.0.0/28" }));
        await api.PostAsync($"/v1/subnets/{deleted}/allocations", new { count = 4 });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{deleted}?force=true"), HttpStatusCode.NoContent);

        var imported = Guid.NewGuid();
        var plan = new JsonObject
        {
            ["format"] = "ipam-export",
            ["version"] = 1,
            ["subnets"] = new JsonArray(new JsonObject
            {
                ["id"] = imported,
                ["cidr"] = "10.62.0.0/28",
                ["gateway_ip"] = "10.62.0.1",
                ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = "10.62.0.2", ["end"] = "10.62.0.9" }),
            }),
            ["allocations"] = new JsonArray(
                new JsonObject { ["subnet_id"] = imported, ["ip_address"] = "10.62.0.2" },
                new JsonObject { ["subnet_id"] = imported, ["ip_address"] = "10.62.0.3" },
                new JsonObject { ["subnet_id"] = imported, ["ip_address"] = "10.62.0.12" }),
        };
        AssertStatus(await api.PostJsonAsync("/v1/import", plan.ToJsonString()), HttpStatusCode.OK);

        await AssertUsageAsync(imported.ToString(), total: 8, allocated: 2, outside: 1);
        await AssertNoMismatchAsync();
    }

    private static int Last(string ip) => int.Parse(ip[(ip.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private async Task AssertUsageAsync(string id, long total, long allocated, long outside)
    {
        // Every instance answers alike.
        foreach (var client in api.Server.InstanceClients)
        {
            var usage = (await IpamServer.ExpectAsync(await client.GetAsync($"/v1/subnets/{id}"), 200))["usage"]!;
            Assert.Equal((total, allocated, total - allocated, outside),
                ((long)usage["total"]!, (long)usage["allocated"]!, (long)usage["free"]!, (long)usage["outside_pools"]!));
        }

        var listed = (await api.ListAllAsync("/v1/subnets")).Single(s => Id(s) == id)["usage"]!;
        Assert.Equal(allocated, (long)listed["allocated"]!);
    }

    private async Task AssertNoMismatchAsync()
    {
        var check = await api.GetJsonAsync("/v1/usage-check");
        Assert.True((long)check["subnets_checked"]! >= 1);
        Assert.Empty(check["mismatches"]!.AsArray());
    }
}

public sealed class SubnetUsageCounterTestsOnSqlite(SqliteApiFixture api) : SubnetUsageCounterTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetUsageCounterTestsOnPostgres(PostgresApiFixture api) : SubnetUsageCounterTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetUsageCounterTestsOnThreeInstances(ThreeInstancesApiFixture api)
    : SubnetUsageCounterTests(api), IClassFixture<ThreeInstancesApiFixture>;
