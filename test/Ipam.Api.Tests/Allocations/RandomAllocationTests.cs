using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>Random allocation: only pool addresses, each once, until the pool is exhausted.</summary>
public abstract class RandomAllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_RandomUntilFull_HandsOutExactlyThePoolAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.40.0.0/28" });
        var got = new List<string>();
        for (var i = 0; i < 13; i++)
        {
            got.Add(Ip(await Api.AllocateAsync(id, i % 2 == 0 ? new { } : new { strategy = "random" })));
        }

        // /28: 16 addresses minus network .0, gateway .1 and broadcast .15.
        Assert.Equal(V4Range("10.40.0", 2, 14), got.OrderBy(V4));
        await ProblemAsync(await PostAllocationAsync(id, new { }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Allocate_Random_ResponseHasAllFieldsAndLocation()
    {
        var id = await SubnetAsync(new { cidr = "10.40.1.0/24" });
        var response = await PostAllocationAsync(id, new { });
        var allocation = await IpamServer.ExpectAsync(response, 201);

        Assert.Equal(id, (string?)allocation["subnet_id"]);
        var ip = Ip(allocation);
        Assert.InRange(V4(ip), V4("10.40.1.2"), V4("10.40.1.254"));
        foreach (var field in new[] { "owner", "description", "expires_at" })
        {
            Assert.True(allocation.ContainsKey(field), field);
            Assert.Null(allocation[field]);
        }

        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith($"/v1/subnets/{id}/allocations/{ip}", response.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allocate_RandomWithSplitPools_NeverGatewayNetworkOrBroadcast()
    {
        var id = await SubnetAsync(new { cidr = "10.40.2.0/24", gateway_ip = "10.40.2.128" });
        var got = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            Assert.True(got.Add(Ip(await Api.AllocateAsync(id))));
        }

        Assert.DoesNotContain("10.40.2.0", got);
        Assert.DoesNotContain("10.40.2.128", got);
        Assert.DoesNotContain("10.40.2.255", got);
        Assert.All(got, ip => Assert.InRange(V4(ip), V4("10.40.2.1"), V4("10.40.2.254")));
        Assert.Equal("40", Usage(await Api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_RandomOnIpv6Slash64_InsidePool()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:40::/64" });
        var got = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var ip = IPAddress.Parse(Ip(await Api.AllocateAsync(id)));
            var bytes = ip.GetAddressBytes();
            Assert.Equal(IPAddress.Parse("2001:db8:40::").GetAddressBytes()[..8], bytes[..8]);
            Assert.NotEqual("2001:db8:40::", ip.ToString());
            Assert.NotEqual("2001:db8:40::1", ip.ToString());
            Assert.True(got.Add(ip.ToString()));
        }

        var subnet = await Api.GetSubnetAsync(id);
        Assert.Equal("10", Usage(subnet, "allocated"));
        Assert.Equal(((UInt128.One << 64) - 12).ToString(), Usage(subnet, "free"));
    }

    [Fact]
    public async Task Allocate_RandomAfterRelease_ReturnsTheOnlyFreeAddress()
    {
        var id = await SubnetAsync(new { cidr = "10.40.3.0/29" });
        for (var i = 0; i < 5; i++)
        {
            await Api.AllocateAsync(id);
        }

        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.40.3.4"), HttpStatusCode.NoContent);

        Assert.Equal("10.40.3.4", Ip(await Api.AllocateAsync(id)));
    }
}

public sealed class RandomAllocationTestsOnSqlite(SqliteApiFixture api) : RandomAllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class RandomAllocationTestsOnPostgres(PostgresApiFixture api) : RandomAllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class RandomAllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : RandomAllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
