using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>The <c>next</c> strategy: the lowest free pool address, skipping the gateway and taken addresses.</summary>
public abstract class NextAllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_Next_AscendingAndReusesTheLowestReleased()
    {
        var id = await SubnetAsync(new { cidr = "10.41.0.0/24" });

        Assert.Equal("10.41.0.2", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.0.3", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.0.4", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.41.0.3"), HttpStatusCode.NoContent);
        Assert.Equal("10.41.0.3", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.0.5", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Allocate_NextAcrossSplitPools_SkipsGatewayThenExhausts()
    {
        var id = await SubnetAsync(new { cidr = "10.41.1.0/29", gateway_ip = "10.41.1.4" });
        var got = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            got.Add(Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        }

        Assert.Equal(["10.41.1.1", "10.41.1.2", "10.41.1.3", "10.41.1.5", "10.41.1.6"], got);
        await ProblemAsync(await PostAllocationAsync(id, new { strategy = "next" }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Allocate_NextSkipsSpecificallyTakenAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.41.2.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.41.2.2" });
        await Api.AllocateAsync(id, new { ip_address = "10.41.2.4" });

        Assert.Equal("10.41.2.3", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.2.5", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Allocate_NextOnIpv6_StartsAfterGateway()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:41::/64" });

        Assert.Equal("2001:db8:41::2", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("2001:db8:41::3", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
    }
}

public sealed class NextAllocationTestsOnSqlite(SqliteApiFixture api) : NextAllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class NextAllocationTestsOnPostgres(PostgresApiFixture api) : NextAllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class NextAllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : NextAllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
