using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>At most 1,000 allocation-pool ranges per subnet, and usage counted exactly over that many.</summary>
public abstract class AllocationPoolLimitTests(ApiFixture api)
{
    [Fact]
    public async Task Create_ThousandPools_AcceptedAndCountedExactly()
    {
        var id = Id(await api.CreateSubnetAsync(Subnet("10.60.0.0/16", SinglePools("10.60", 1000))));
        await api.AllocateAsync(id, new { ip_address = "10.60.0.2" });
        await api.AllocateAsync(id, new { ip_address = "10.60.3.200" });
        await api.AllocateAsync(id, new { ip_address = "10.60.0.3" });
        await api.AllocateAsync(id, new { count = 5 });

        var subnet = await api.GetSubnetAsync(id);

        Assert.Equal(1000, subnet["allocation_pools"]!.AsArray().Count);
        Assert.Equal("1000", Usage(subnet, "total"));
        Assert.Equal("7", Usage(subnet, "allocated"));
        Assert.Equal("993", Usage(subnet, "free"));
        Assert.Equal("1", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Create_MoreThanThousandPools_Returns400InvalidAllocationPools()
    {
        var before = await api.SnapshotAsync();

        var response = await api.PostJsonAsync("/v1/subnets", Subnet("10.61.0.0/16", SinglePools("10.61", 1001)).ToJsonString());

        var problem = await ValidationProblemAsync(response, "invalid-allocation-pools");
        Assert.Contains("1000", string.Join(" ", problem["errors"]!["allocation_pools"]!.AsArray()).Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    [Fact]
    public async Task Update_MoreThanThousandPools_Returns400AndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.62.0.0/16" }));
        await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}",
            new JsonObject { ["allocation_pools"] = SinglePools("10.62", 1000) }.ToJsonString()), 200);
        var before = await api.SnapshotAsync(id);

        var response = await api.PatchJsonAsync($"/v1/subnets/{id}", new JsonObject { ["allocation_pools"] = SinglePools("10.62", 1001) }.ToJsonString());

        await ValidationProblemAsync(response, "invalid-allocation-pools");
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    private static JsonObject Subnet(string cidr, JsonArray pools) => new() { ["cidr"] = cidr, ["allocation_pools"] = pools };

    /// <summary><paramref name="count"/> one-address pools: every other address from .0.2 on, so none are adjacent.</summary>
    private static JsonArray SinglePools(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["start"] = $"{prefix}.{(2 + (2 * i)) / 256}.{(2 + (2 * i)) % 256}",
            ["end"] = $"{prefix}.{(2 + (2 * i)) / 256}.{(2 + (2 * i)) % 256}",
        })];
}

public sealed class AllocationPoolLimitTestsOnSqlite(SqliteApiFixture api) : AllocationPoolLimitTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AllocationPoolLimitTestsOnPostgres(PostgresApiFixture api) : AllocationPoolLimitTests(api), IClassFixture<PostgresApiFixture>;
