using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// A requested address: inside or outside the pools, reserved addresses, /31 and /32, addresses in use
/// and addresses outside the subnet.
/// </summary>
public abstract class SpecificAllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_SpecificInsidePools_ReturnsThatAddress()
    {
        var id = await SubnetAsync(new { cidr = "10.42.0.0/24" });

        var allocation = await Api.AllocateAsync(id, new { ip_address = "10.42.0.50" });

        Assert.Equal("10.42.0.50", Ip(allocation));
        var subnet = await Api.GetSubnetAsync(id);
        Assert.Equal("1", Usage(subnet, "allocated"));
        Assert.Equal("252", Usage(subnet, "free"));
        Assert.Equal("0", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Allocate_SpecificOutsidePools_AllowedAndCountedOutsidePools()
    {
        var id = await SubnetAsync(new
        {
            cidr = "10.42.1.0/24",
            allocation_pools = new[] { new { start = "10.42.1.10", end = "10.42.1.20" } },
        });

        Assert.Equal("10.42.1.200", Ip(await Api.AllocateAsync(id, new { ip_address = "10.42.1.200" })));

        var subnet = await Api.GetSubnetAsync(id);
        Assert.Equal("11", Usage(subnet, "total"));
        Assert.Equal("0", Usage(subnet, "allocated"));
        Assert.Equal("11", Usage(subnet, "free"));
        Assert.Equal("1", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Allocate_SpecificNonCanonical_StoredCanonical()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:42::/64" });

        var allocation = await Api.AllocateAsync(id, new { ip_address = "2001:DB8:42:0:0:0:0:00AB" });

        Assert.Equal("2001:db8:42::ab", Ip(allocation));
        Assert.Equal(["2001:db8:42::ab"], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificGatewayWithoutAllowGateway_Returns400AddressReservedAndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.42.2.0/24" });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = "10.42.2.1" }), 400, "address-reserved");

        Assert.Equal("10.42.2.1", (string?)problem["ip_address"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificGatewayWithAllowGateway_Returns201()
    {
        var id = await SubnetAsync(new { cidr = "10.42.3.0/24" });

        var allocation = await Api.AllocateAsync(id, new { ip_address = "10.42.3.1", allow_gateway = true, owner = "router" });

        Assert.Equal("10.42.3.1", Ip(allocation));
        Assert.Equal("router", (string?)allocation["owner"]);
        var subnet = await Api.GetSubnetAsync(id);
        Assert.Equal("0", Usage(subnet, "allocated"));
        Assert.Equal("1", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Allocate_SpecificGatewayOnIpv6_NeedsAllowGateway()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:43::/64" });

        await ProblemAsync(await PostAllocationAsync(id, new { ip_address = "2001:db8:43::1" }), 400, "address-reserved");
        Assert.Equal("2001:db8:43::1", Ip(await Api.AllocateAsync(id, new { ip_address = "2001:db8:43::1", allow_gateway = true })));
    }

    [Theory]
    [InlineData("10.42.4.0", false)]
    [InlineData("10.42.4.255", false)]
    [InlineData("10.42.4.0", true)]
    [InlineData("10.42.4.255", true)]
    public async Task Allocate_SpecificNetworkOrBroadcast_Returns400AddressReservedAndChangesNothing(string address, bool allowGateway)
    {
        var id = await SubnetAsync(new { cidr = "10.42.4.0/24" });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = address, allow_gateway = allowGateway }), 400, "address-reserved");

        Assert.Equal(address, (string?)problem["ip_address"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificOnSlash31_BothAddressesAllowed()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.10/31" });

        Assert.Equal("192.0.2.10", Ip(await Api.AllocateAsync(id, new { ip_address = "192.0.2.10" })));
        Assert.Equal("192.0.2.11", Ip(await Api.AllocateAsync(id, new { ip_address = "192.0.2.11" })));
        Assert.Equal("2", Usage(await Api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_SpecificOnSlash32_TheAddressIsAllowed()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.20/32" });

        Assert.Equal("192.0.2.20", Ip(await Api.AllocateAsync(id, new { ip_address = "192.0.2.20" })));
    }

    [Fact]
    public async Task Allocate_RandomOnSlash31_HandsOutBothAddresses()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.30/31" });

        var got = new[] { Ip(await Api.AllocateAsync(id)), Ip(await Api.AllocateAsync(id)) };

        Assert.Equal(["192.0.2.30", "192.0.2.31"], got.Order());
        await ProblemAsync(await PostAllocationAsync(id, new { }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Allocate_NextOnSlash32_HandsOutTheAddress()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.40/32" });

        Assert.Equal("192.0.2.40", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Allocate_SpecificIpv6SubnetRouterAndAllOnes_Allowed()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:44::/64" });

        Assert.Equal("2001:db8:44::", Ip(await Api.AllocateAsync(id, new { ip_address = "2001:db8:44::" })));
        Assert.Equal("2001:db8:44:0:ffff:ffff:ffff:ffff", Ip(await Api.AllocateAsync(id, new { ip_address = "2001:db8:44:0:ffff:ffff:ffff:ffff" })));
    }

    [Theory]
    [InlineData("10.42.6.0/24", "10.42.7.1")]
    [InlineData("10.42.6.0/24", "10.42.5.255")]
    [InlineData("10.42.6.0/24", "2001:db8::1")]
    [InlineData("2001:db8:45::/64", "2001:db8:46::1")]
    [InlineData("2001:db8:45::/64", "10.42.6.1")]
    public async Task Allocate_SpecificOutsideCidr_Returns400AddressOutsideSubnetAndChangesNothing(string cidr, string address)
    {
        var id = await SubnetAsync(new { cidr });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = address }), 400, "address-outside-subnet");

        Assert.Equal(address, (string?)problem["ip_address"]);
        Assert.Equal(cidr, (string?)problem["cidr"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificAlreadyAllocated_Returns409AddressInUseWithOwnerAndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.42.8.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.42.8.9", owner = "vm-first", description = "first" });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = "10.42.8.9", owner = "vm-second" }), 409, "address-in-use");

        Assert.Equal("10.42.8.9", (string?)problem["ip_address"]);
        Assert.Equal("vm-first", (string?)problem["owner"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    /// <summary>
    /// Every instance has allocated in the subnet, and keeps it as it was, before another instance moves its gateway:
    /// each must judge the next request by the subnet as it is now.
    /// </summary>
    [Fact]
    public async Task Allocate_SpecificAfterTheGatewayMovedThroughAnotherInstance_RefusesTheNewGatewayEverywhereAndTakesTheOld()
    {
        var id = await SubnetAsync(new { cidr = "10.42.10.0/24", allocation_pools = new[] { new { start = "10.42.10.10", end = "10.42.10.254" } } });
        IReadOnlyList<HttpClient> instances = Api.Server.InstanceClients.Count > 0 ? Api.Server.InstanceClients : [Api.Client];
        for (var i = 0; i < instances.Count; i++)
        {
            await IpamServer.ExpectAsync(await instances[i].PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = $"10.42.10.{20 + i}" }), 201);
        }

        await IpamServer.ExpectAsync(await instances[^1].PatchAsJsonAsync($"/v1/subnets/{id}", new { gateway_ip = "10.42.10.9" }), 200);

        foreach (var instance in instances)
        {
            var problem = await ProblemAsync(await instance.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.42.10.9" }), 400, "address-reserved");
            Assert.Equal("10.42.10.9", (string?)problem["ip_address"]);
        }

        Assert.Equal("10.42.10.1", Ip(await Api.AllocateAsync(id, new { ip_address = "10.42.10.1" })));
        Assert.Equal(instances.Count + 1, (await Api.AllocatedAddressesAsync(id)).Count);
    }

    /// <summary>
    /// Every instance keeps the subnet from an allocation in it; then it is deleted and created again under the same id
    /// with another CIDR: each instance judges the next request by the new subnet.
    /// </summary>
    [Fact]
    public async Task Allocate_SpecificAfterTheSubnetWasCreatedAgainUnderItsId_IsJudgedByTheNewSubnetEverywhere()
    {
        var id = await SubnetAsync(new { cidr = "10.42.11.0/24" });
        IReadOnlyList<HttpClient> instances = Api.Server.InstanceClients.Count > 0 ? Api.Server.InstanceClients : [Api.Client];
        for (var i = 0; i < instances.Count; i++)
        {
            await IpamServer.ExpectAsync(await instances[i].PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = $"10.42.11.{20 + i}" }), 201);
        }

        AssertStatus(await instances[^1].DeleteAsync($"/v1/subnets/{id}?force=true"), System.Net.HttpStatusCode.NoContent);
        await IpamServer.ExpectAsync(await instances[^1].PostAsJsonAsync("/v1/subnets", new { id, cidr = "10.42.12.0/24" }), 201);

        for (var i = 0; i < instances.Count; i++)
        {
            await ProblemAsync(await instances[i].PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.42.11.30" }), 400, "address-outside-subnet");
            var made = await IpamServer.ExpectAsync(await instances[i].PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = $"10.42.12.{20 + i}" }), 201);
            Assert.Equal($"10.42.12.{20 + i}", Ip(made));
        }

        Assert.Equal(Enumerable.Range(0, instances.Count).Select(i => $"10.42.12.{20 + i}"), await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificAddressTakenByNext_Returns409AddressInUse()
    {
        var id = await SubnetAsync(new { cidr = "10.42.9.0/24" });
        var taken = Ip(await Api.AllocateAsync(id, new { strategy = "next" }));

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = taken }), 409, "address-in-use");

        Assert.Equal(taken, (string?)problem["ip_address"]);
        Assert.True(problem.ContainsKey("owner"));
    }
}

public sealed class SpecificAllocationTestsOnSqlite(SqliteApiFixture api) : SpecificAllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SpecificAllocationTestsOnPostgres(PostgresApiFixture api) : SpecificAllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SpecificAllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : SpecificAllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
