using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>Replacing a subnet's allocation pools: validation, usage, and allocations left outside the pools.</summary>
public abstract class UpdateAllocationPoolsTests(ApiFixture api)
{
    [Fact]
    public async Task Update_GatewayAndPoolsTogether_MovesGatewayIntoFormerPoolSpace()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.9.0/24" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new
        {
            gateway_ip = "10.20.9.254",
            allocation_pools = new[] { new { start = "10.20.9.1", end = "10.20.9.253" } },
        }), 200);

        Assert.Equal("10.20.9.254", (string?)updated["gateway_ip"]);
        Assert.Equal(["10.20.9.1-10.20.9.253"], PoolsOf(updated));
        Assert.Equal("253", Usage(updated, "total"));
    }

    [Fact]
    public async Task Update_PoolsNull_BackToTheDefaultPoolsOfTheCidrAndGateway_CooldownNullBackToNone()
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.10.0/24", reuse_cooldown_seconds = 60, allocation_pools = new[] { new { start = "10.20.10.50", end = "10.20.10.59" } },
        }));

        var reset = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"allocation_pools": null}"""), 200);
        var cooled = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"reuse_cooldown_seconds": null}"""), 200);
        var moved = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}",
            """{"gateway_ip": "10.20.10.254", "allocation_pools": null}"""), 200);
        var untouched = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": "kept"}"""), 200);

        Assert.Equal(["10.20.10.2-10.20.10.254"], PoolsOf(reset));
        Assert.Equal(60, (int)reset["reuse_cooldown_seconds"]!);
        Assert.Equal(0, (int)cooled["reuse_cooldown_seconds"]!);
        Assert.Equal(["10.20.10.2-10.20.10.254"], PoolsOf(cooled));
        Assert.Equal(["10.20.10.1-10.20.10.253"], PoolsOf(moved));
        Assert.Equal(PoolsOf(moved), PoolsOf(untouched));
        Assert.Equal("253", Usage(untouched, "total"));
    }

    [Fact]
    public async Task Update_ValidPools_ReplacesPoolsAndUsage()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.21.0.0/24" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new
        {
            allocation_pools = new[] { new { start = "10.21.0.100", end = "10.21.0.109" }, new { start = "10.21.0.20", end = "10.21.0.24" } },
        }), 200);

        Assert.Equal(["10.21.0.20-10.21.0.24", "10.21.0.100-10.21.0.109"], PoolsOf(updated));
        Assert.Equal("15", Usage(updated, "total"));
        Assert.Equal("10.21.0.1", (string?)updated["gateway_ip"]);
        Assert.Equal(PoolsOf(updated), PoolsOf(await api.GetSubnetAsync(id)));
    }

    [Fact]
    public async Task Update_Pools_AutomaticAllocationUsesOnlyTheNewPools()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.21.1.0/24" }));
        await api.AllocateAsync(id, new { strategy = "next" }); // warms any cached free space for the old pools
        await api.PatchAsync($"/v1/subnets/{id}", new { allocation_pools = new[] { new { start = "10.21.1.50", end = "10.21.1.52" } } });

        var picked = (await api.AllocateAsync(id, new { count = 3 }))["items"]!.AsArray().Select(a => Ip(a!.AsObject())).Order();

        Assert.Equal(["10.21.1.50", "10.21.1.51", "10.21.1.52"], picked);
        await ProblemAsync(await api.PostAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
    }

    [Theory]
    [InlineData("outside the CIDR", """[{"start": "10.22.1.5", "end": "10.22.1.10"}]""")]
    [InlineData("partly outside the CIDR", """[{"start": "10.22.0.250", "end": "10.22.1.2"}]""")]
    [InlineData("start after end", """[{"start": "10.22.0.20", "end": "10.22.0.10"}]""")]
    [InlineData("overlapping", """[{"start": "10.22.0.10", "end": "10.22.0.30"}, {"start": "10.22.0.20", "end": "10.22.0.40"}]""")]
    [InlineData("sharing an endpoint", """[{"start": "10.22.0.10", "end": "10.22.0.20"}, {"start": "10.22.0.20", "end": "10.22.0.30"}]""")]
    [InlineData("one inside another", """[{"start": "10.22.0.10", "end": "10.22.0.50"}, {"start": "10.22.0.20", "end": "10.22.0.30"}]""")]
    [InlineData("containing the gateway", """[{"start": "10.22.0.1", "end": "10.22.0.10"}]""")]
    [InlineData("including the network address", """[{"start": "10.22.0.0", "end": "10.22.0.0"}]""")]
    [InlineData("starting at the network address", """[{"start": "10.22.0.0", "end": "10.22.0.10"}]""")]
    [InlineData("including the broadcast address", """[{"start": "10.22.0.250", "end": "10.22.0.255"}]""")]
    [InlineData("IPv6 on an IPv4 subnet", """[{"start": "2001:db8::10", "end": "2001:db8::20"}]""")]
    [InlineData("one good, one bad", """[{"start": "10.22.0.10", "end": "10.22.0.20"}, {"start": "10.22.0.30", "end": "10.22.1.30"}]""")]
    public async Task Update_InvalidPools_Returns400InvalidAllocationPoolsAndChangesNothing(string scenario, string pools)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.22.0.0/24", name = scenario }));
        await api.AllocateAsync(id, new { ip_address = "10.22.0.7" });
        var before = await api.SnapshotAsync(id);

        var problem = await ValidationProblemAsync(
            await api.PatchJsonAsync($"/v1/subnets/{id}", $$"""{"name": "changed", "allocation_pools": {{pools}}}"""), "invalid-allocation-pools");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("allocation_pools"));
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_ShrinkPools_KeepsAllocationsAndCountsThemOutsidePools()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.23.0.0/24" }));
        foreach (var ip in new[] { "10.23.0.5", "10.23.0.55", "10.23.0.100" })
        {
            await api.AllocateAsync(id, new { ip_address = ip });
        }

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new
        {
            allocation_pools = new[] { new { start = "10.23.0.50", end = "10.23.0.60" } },
        }), 200);

        Assert.Equal("11", Usage(updated, "total"));
        Assert.Equal("1", Usage(updated, "allocated"));
        Assert.Equal("10", Usage(updated, "free"));
        Assert.Equal("2", Usage(updated, "outside_pools"));
        Assert.Equal(["10.23.0.5", "10.23.0.55", "10.23.0.100"], await api.AllocatedAddressesAsync(id));
        var shown = await api.GetSubnetAsync(id);
        Assert.Equal("2", Usage(shown, "outside_pools"));
        Assert.Equal("1", Usage(shown, "allocated"));

        // The lowest free pool address, skipping the kept allocation .55.
        Assert.Equal("10.23.0.50", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Update_EmptyPools_TotalZero()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.23.1.0/24" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"allocation_pools": []}"""), 200);

        Assert.Empty(PoolsOf(updated));
        Assert.Equal("0", Usage(updated, "total"));
        Assert.Equal("0", Usage(updated, "free"));
        Assert.Empty(PoolsOf(await api.GetSubnetAsync(id)));
    }
}

public sealed class UpdateAllocationPoolsTestsOnSqlite(SqliteApiFixture api) : UpdateAllocationPoolsTests(api), IClassFixture<SqliteApiFixture>;

public sealed class UpdateAllocationPoolsTestsOnPostgres(PostgresApiFixture api) : UpdateAllocationPoolsTests(api), IClassFixture<PostgresApiFixture>;

public sealed class UpdateAllocationPoolsTestsOnThreeInstances(ThreeInstancesApiFixture api) : UpdateAllocationPoolsTests(api), IClassFixture<ThreeInstancesApiFixture>;
