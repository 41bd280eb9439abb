using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>
/// Subnets allocated from a pool: best-fit prefixes, specific prefixes, bounds, exhaustion and returning
/// a deleted subnet's prefix.
/// </summary>
public abstract class SubnetFromPoolTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task CreateSubnet_DefaultPrefixlen_GatewayAndPoolsDerived()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.50.0.0/16" }, default_prefixlen = 24, min_prefixlen = 16 });

        var subnet = await FromPoolAsync(Id(pool));

        Assert.Equal("10.50.0.0/24", (string?)subnet["cidr"]);
        Assert.Equal(Id(pool), (string?)subnet["subnet_pool_id"]);
        Assert.Equal("10.50.0.1", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.50.0.2-10.50.0.254"], PoolsOf(subnet));
        Assert.Equal("253", Usage(subnet, "total"));
        Assert.Equal("10.50.1.0/24", (string?)(await FromPoolAsync(Id(pool)))["cidr"]);
    }

    [Fact]
    public async Task CreateSubnet_NeutronBestFit_SmallBlockBeforeCarvingTheLargeOne()
    {
        // neutron-behaviour.md items 68-70.
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.10.0.0/16", "192.168.1.0/24" }, min_prefixlen = 21 });

        var first = await FromPoolAsync(Id(pool), 21);
        var second = await FromPoolAsync(Id(pool), 24);
        var third = await FromPoolAsync(Id(pool), 24);

        Assert.Equal("10.10.0.0/21", (string?)first["cidr"]);
        Assert.Equal("10.10.0.1", (string?)first["gateway_ip"]);
        Assert.Equal("192.168.1.0/24", (string?)second["cidr"]);
        Assert.Equal("10.10.8.0/24", (string?)third["cidr"]);
    }

    [Fact]
    public async Task CreateSubnet_Ipv6FromPool_SlashSixtyFourWithGateway()
    {
        var pool = await CreatePoolAsync(new { name = "v6", prefixes = new[] { "2001:db8:100::/48" } });

        var subnet = await FromPoolAsync(Id(pool));
        var specific = await IpamServer.ExpectAsync(await PostFromPoolAsync(new
        {
            subnet_pool_id = Id(pool),
            cidr = "2001:db8:100:ff::/64",
            gateway_ip = "2001:db8:100:ff:ffff:ffff:ffff:ffff",
            ipv6_address_mode = "slaac",
        }), 201);

        Assert.Equal("2001:db8:100::/64", (string?)subnet["cidr"]);
        Assert.Equal(6, (int)subnet["ip_version"]!);
        Assert.Equal("2001:db8:100::1", (string?)subnet["gateway_ip"]);
        Assert.Equal("2001:db8:100:ff::/64", (string?)specific["cidr"]);
        Assert.Equal("2001:db8:100:ff:ffff:ffff:ffff:ffff", (string?)specific["gateway_ip"]);
        Assert.Equal("slaac", (string?)specific["ipv6_address_mode"]);
    }

    [Theory]
    [InlineData(20, "minimum allowed prefix is 21")]
    [InlineData(29, "maximum allowed prefix is 28")]
    [InlineData(33, "maximum allowed prefix is 28")]
    [InlineData(-1, "minimum allowed prefix is 21")]
    public async Task CreateSubnet_PrefixlenOutsideBounds_400(int prefixlen, string message)
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.60.0.0/16" }, min_prefixlen = 21, max_prefixlen = 28 });
        var before = await AvailableAsync(Id(pool));

        var problem = await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen }));

        Assert.Contains(message, problem["errors"]!["prefixlen"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_SpecificCidrOutsideBoundsOrPool_400()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.61.0.0/16" }, min_prefixlen = 20, max_prefixlen = 26 });

        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.61.0.0/27" }));
        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.62.0.0/24" }));
        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "2001:db8::/64" }));
        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.61.0.0/24", prefixlen = 25 }));
        Assert.Equal(["10.61.0.0/16"], await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_PoolExhaustedForLength_409PrefixUnavailable()
    {
        var pool = await CreatePoolAsync(new { name = "small", prefixes = new[] { "10.70.0.0/24" }, min_prefixlen = 24, max_prefixlen = 26 });
        Assert.Equal("10.70.0.0/25", (string?)(await FromPoolAsync(Id(pool), 25))["cidr"]);

        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 24 }), 409, "prefix-unavailable");

        Assert.Equal(Id(pool), (string?)problem["subnet_pool_id"]);
        Assert.Equal(24, (int)problem["prefixlen"]!);
        Assert.Equal("10.70.0.128/26", (string?)(await FromPoolAsync(Id(pool), 26))["cidr"]);
        Assert.Equal("10.70.0.192/26", (string?)(await FromPoolAsync(Id(pool), 26))["cidr"]);
        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 26 }), 409, "prefix-unavailable");
        Assert.Empty(await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_SpecificPrefixFree_GrantedWithGivenGateway()
    {
        // neutron-behaviour.md item 71.
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.1.0.0/16" }, min_prefixlen = 16 });

        var subnet = await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.1.2.0/24", gateway_ip = "10.1.2.254" }), 201);

        Assert.Equal("10.1.2.0/24", (string?)subnet["cidr"]);
        Assert.Equal("10.1.2.254", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.1.2.1-10.1.2.253"], PoolsOf(subnet));
        Assert.DoesNotContain("10.1.2.0/24", await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_SpecificPrefixOverlappingASubnetOfThePool_409()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.80.0.0/16" }, min_prefixlen = 16, default_prefixlen = 24 });
        var existing = await FromPoolAsync(Id(pool));
        var before = await AvailableAsync(Id(pool));

        foreach (var cidr in new[] { "10.80.0.0/24", "10.80.0.0/23", "10.80.0.128/25", "10.80.0.0/16" })
        {
            var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr }), 409, "prefix-unavailable");
            Assert.Equal(Id(pool), (string?)problem["subnet_pool_id"]);
            Assert.Equal(cidr, (string?)problem["cidr"]);
            Assert.Equal((string?)existing["cidr"], (string?)problem["conflicts_with"]);
        }

        Assert.Equal(before, await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_PlainCidrOverlappingAPoolSubnet_IsAllowedAndDoesNotTouchThePool()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.81.0.0/24" }, min_prefixlen = 24 });
        await FromPoolAsync(Id(pool));

        var plain = await Api.CreateSubnetAsync(new { cidr = "10.81.0.0/24" });

        Assert.Null(plain["subnet_pool_id"]);
        Assert.Empty(await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_UnknownPoolOrPrefixlenWithoutPool_Refused()
    {
        var id = Guid.NewGuid();
        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = id, prefixlen = 24 }), 404, "subnet-pool-not-found");
        Assert.Equal(id.ToString(), (string?)problem["subnet_pool_id"]);

        var invalid = await ValidationProblemAsync(await PostFromPoolAsync(new { prefixlen = 24 }));
        Assert.Contains("prefixlen", invalid["errors"]!.AsObject().Select(e => e.Key));
        await ValidationProblemAsync(await Api.PostJsonAsync("/v1/subnets", """{"subnet_pool_id":"not-a-uuid"}"""));
    }

    [Fact]
    public async Task DeleteSubnet_ReturnsThePrefixToThePool()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.90.0.0/22" }, min_prefixlen = 22, default_prefixlen = 24 });
        var subnets = new List<JsonObject>();
        for (var i = 0; i < 4; i++)
        {
            subnets.Add(await FromPoolAsync(Id(pool)));
        }

        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool) }), 409, "prefix-unavailable");
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{Id(subnets[2])}"), HttpStatusCode.NoContent);

        Assert.Equal(["10.90.2.0/24"], await AvailableAsync(Id(pool)));
        Assert.Equal("10.90.2.0/24", (string?)(await FromPoolAsync(Id(pool)))["cidr"]);

        foreach (var subnet in subnets)
        {
            await Api.Client.DeleteAsync($"/v1/subnets/{Id(subnet)}");
        }

        var remaining = await Api.ListAllAsync($"/v1/subnets?subnet_pool_id={Id(pool)}");
        foreach (var subnet in remaining)
        {
            AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{Id(subnet)}"), HttpStatusCode.NoContent);
        }

        Assert.Equal(["10.90.0.0/22"], await AvailableAsync(Id(pool)));
        Assert.Equal("10.90.0.0/22", (string?)(await FromPoolAsync(Id(pool), 22))["cidr"]);
    }

    /// <summary>
    /// Every instance keeps an index of the pool's free prefixes; a subnet deleted through another instance must reach
    /// it before its next pick, or best fit carries on past the hole.
    /// </summary>
    [Fact]
    public async Task CreateSubnet_AfterADeleteThroughAnotherInstance_TakesTheFreedPrefix()
    {
        var pool = Id(await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.91.0.0/24" }, min_prefixlen = 24, default_prefixlen = 28 }));
        var instances = Api.Server.InstanceClients;
        var (first, last) = (instances[0], instances[^1]);
        var held = new List<JsonObject>();
        foreach (var client in instances)
        {
            held.Add(await CreateFromPoolAsync(client, pool));
        }

        // The last instance's index was built after every other subnet was made: it knows them all, so its next pick
        // meets none of them in the database, and only the deletion can tell it where best fit is.
        AssertStatus(await first.DeleteAsync($"/v1/subnets/{Id(held[0])}"), HttpStatusCode.NoContent);
        var available = (await IpamServer.ExpectAsync(await last.GetAsync($"/v1/subnet-pools/{pool}/available-prefixes"), 200))["prefixes"]!.AsArray();
        var again = await CreateFromPoolAsync(last, pool);

        Assert.StartsWith(((string)held[0]["cidr"]!).Split('/')[0] + "/", (string?)available[0], StringComparison.Ordinal); // merged with what follows
        Assert.Equal((string?)held[0]["cidr"], (string?)again["cidr"]);
    }

    private static async Task<JsonObject> CreateFromPoolAsync(HttpClient client, string pool) =>
        await IpamServer.ExpectAsync(await client.PostAsJsonAsync("/v1/subnets", new { subnet_pool_id = pool }), 201);
}

public sealed class SubnetFromPoolTestsOnSqlite(SqliteApiFixture api) : SubnetFromPoolTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetFromPoolTestsOnPostgres(PostgresApiFixture api) : SubnetFromPoolTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetFromPoolTestsOnThreeInstances(ThreeInstancesApiFixture api) : SubnetFromPoolTests(api), IClassFixture<ThreeInstancesApiFixture>;
