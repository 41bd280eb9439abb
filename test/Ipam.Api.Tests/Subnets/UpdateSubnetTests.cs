using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>Updating a subnet's name and gateway; what an update must refuse and leave unchanged.</summary>
public abstract class UpdateSubnetTests(ApiFixture api)
{
    [Fact]
    public async Task Update_UnknownId_Returns404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { name = "x" }), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Update_Name_ChangesOnlyTheName()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.20.0.0/24", name = "before" });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new { name = "after" }), 200);

        Assert.Equal("after", (string?)updated["name"]);
        Assert.Equal("after", (string?)(await api.GetSubnetAsync(id))["name"]);
        Assert.Equal((string?)subnet["gateway_ip"], (string?)updated["gateway_ip"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(updated));
        Assert.Equal((string?)subnet["cidr"], (string?)updated["cidr"]);
    }

    [Fact]
    public async Task Update_NameNull_ClearsTheName()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.1.0/24", name = "temporary" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": null}"""), 200);

        Assert.Null(updated["name"]);
        Assert.Null((await api.GetSubnetAsync(id))["name"]);
    }

    [Fact]
    public async Task Update_GatewayToFreeAddressOutsidePools_Accepted()
    {
        var subnet = await api.CreateSubnetAsync(new
        {
            cidr = "10.20.2.0/24",
            allocation_pools = new[] { new { start = "10.20.2.10", end = "10.20.2.20" } },
        });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "10.20.2.100" }), 200);

        Assert.Equal("10.20.2.100", (string?)updated["gateway_ip"]);
        Assert.Equal(["10.20.2.10-10.20.2.20"], PoolsOf(updated));
        Assert.Equal("10.20.2.100", (string?)(await api.GetSubnetAsync(id))["gateway_ip"]);

        // The new gateway is protected, the old one is an ordinary address again.
        await ProblemAsync(await api.PostAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.20.2.100" }), 400, "address-reserved");
        Assert.Equal("10.20.2.1", Ip(await api.AllocateAsync(id, new { ip_address = "10.20.2.1" })));
    }

    [Fact]
    public async Task Update_GatewayOutsideCidr_Accepted()
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.3.0/24",
            allocation_pools = new[] { new { start = "10.20.3.10", end = "10.20.3.20" } },
        }));

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "192.168.77.1" }), 200);

        Assert.Equal("192.168.77.1", (string?)updated["gateway_ip"]);
        Assert.Equal(["10.20.3.10-10.20.3.20"], PoolsOf(updated));
    }

    [Fact]
    public async Task Update_GatewayNull_RemovesGatewayAndKeepsPools()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.20.4.0/24" });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"gateway_ip": null}"""), 200);

        Assert.Null(updated["gateway_ip"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(updated));
        Assert.Null((await api.GetSubnetAsync(id))["gateway_ip"]);
        // Without a gateway, the former gateway address needs no allow_gateway.
        Assert.Equal("10.20.4.1", Ip(await api.AllocateAsync(id, new { ip_address = "10.20.4.1" })));
    }

    [Fact]
    public async Task Update_GatewayToAllocatedAddress_Returns409AddressInUseWithOwnerAndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.5.0/24",
            allocation_pools = new[] { new { start = "10.20.5.10", end = "10.20.5.20" } },
        }));
        await api.AllocateAsync(id, new { ip_address = "10.20.5.50", owner = "port-50" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "10.20.5.50" }), 409, "address-in-use");

        Assert.Equal("10.20.5.50", (string?)problem["ip_address"]);
        Assert.Equal("port-50", (string?)problem["owner"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
        Assert.Equal("10.20.5.1", (string?)(await api.GetSubnetAsync(id))["gateway_ip"]);
    }

    [Theory]
    [InlineData("10.20.6.0")]
    [InlineData("10.20.6.255")]
    public async Task Update_GatewayToNetworkOrBroadcast_Returns400InvalidGatewayAndChangesNothing(string gateway)
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.6.0/24",
            allocation_pools = new[] { new { start = "10.20.6.10", end = "10.20.6.20" } },
        }));
        var before = await api.SnapshotAsync(id);

        var problem = await ValidationProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = gateway }), "invalid-gateway");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("gateway_ip"));
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_GatewayOfOtherFamily_Returns400InvalidGateway()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.7.0/24", gateway_ip = (string?)null }));
        var before = await api.SnapshotAsync(id);

        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "2001:db8::1" }), "invalid-gateway");

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_GatewayIntoPoolsWithoutChangingPools_Returns400AndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.8.0/24" }));
        var before = await api.SnapshotAsync(id);

        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "10.20.8.100" }), "invalid-gateway");

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_EmptyBody_ChangesNothing()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.23.2.0/24", name = "same" });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", "{}"), 200);

        Assert.Equal("same", (string?)updated["name"]);
        Assert.Equal((string?)subnet["gateway_ip"], (string?)updated["gateway_ip"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(updated));
    }
}

public sealed class UpdateSubnetTestsOnSqlite(SqliteApiFixture api) : UpdateSubnetTests(api), IClassFixture<SqliteApiFixture>;

public sealed class UpdateSubnetTestsOnPostgres(PostgresApiFixture api) : UpdateSubnetTests(api), IClassFixture<PostgresApiFixture>;

public sealed class UpdateSubnetTestsOnThreeInstances(ThreeInstancesApiFixture api) : UpdateSubnetTests(api), IClassFixture<ThreeInstancesApiFixture>;
