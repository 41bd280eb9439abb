using Ipam.Api.Tests.Infrastructure;
using Ipam.Api.Tests.SubnetPools;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// A subnet from a pool given a gateway but no CIDR takes the gateway's network (of the given prefix length, or
/// the pool's default one), as Neutron's subnet request factory does.
/// </summary>
public abstract class SubnetFromPoolGatewayTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task CreateSubnet_GatewayAndPrefixlen_TakesTheGatewaysNetwork()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.140.0.0/16" }, min_prefixlen = 16 });

        var subnet = await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "10.140.7.1", prefixlen = 24 }), 201);

        Assert.Equal("10.140.7.0/24", (string?)subnet["cidr"]);
        Assert.Equal("10.140.7.1", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.140.7.2-10.140.7.254"], PoolsOf(subnet));
        Assert.Equal(["10.140.0.0/22", "10.140.4.0/23", "10.140.6.0/24", "10.140.8.0/21", "10.140.16.0/20", "10.140.32.0/19", "10.140.64.0/18", "10.140.128.0/17"],
            await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_GatewayWithoutPrefixlen_TakesTheGatewaysNetworkAtTheDefaultLength()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.145.0.0/16" }, default_prefixlen = 26 });

        var subnet = await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "10.145.9.70" }), 201);

        Assert.Equal("10.145.9.64/26", (string?)subnet["cidr"]);
        Assert.Equal("10.145.9.70", (string?)subnet["gateway_ip"]);
    }

    [Fact]
    public async Task CreateSubnet_Ipv6GatewayAndPrefixlen_TakesTheGatewaysNetwork()
    {
        var pool = await CreatePoolAsync(new { name = "v6", prefixes = new[] { "2001:db8:140::/48" } });

        var subnet = await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "2001:db8:140:5::1", prefixlen = 64 }), 201);

        Assert.Equal("2001:db8:140:5::/64", (string?)subnet["cidr"]);
        Assert.Equal("2001:db8:140:5::1", (string?)subnet["gateway_ip"]);
    }

    [Fact]
    public async Task CreateSubnet_GatewaysNetworkTaken_409PrefixUnavailable()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.141.0.0/16" }, min_prefixlen = 16 });
        var existing = await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.141.3.0/24" }), 201);
        var before = await AvailableAsync(Id(pool));

        var problem = await ProblemAsync(
            await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "10.141.3.129", prefixlen = 25 }), 409, "prefix-unavailable");

        Assert.Equal(Id(pool), (string?)problem["subnet_pool_id"]);
        Assert.Equal("10.141.3.128/25", (string?)problem["cidr"]);
        Assert.Equal((string?)existing["cidr"], (string?)problem["conflicts_with"]);
        Assert.Equal(before, await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_GatewayOutsideThePool_400AndNothingTaken()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.142.0.0/16" }, min_prefixlen = 16 });

        var problem = await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "10.143.0.1", prefixlen = 24 }));

        Assert.Equal(["gateway_ip"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("10.143.0.0/24, which is not inside the prefixes", problem["errors"]!["gateway_ip"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["10.142.0.0/16"], await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_GatewayOnlyOutsideThePool_400NamesGatewayIp()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.64.0.0/16" }, min_prefixlen = 24 });

        var problem = await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "192.168.0.1" }));

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["gateway_ip"], errors.Select(e => e.Key));
        Assert.Contains("192.168.0.1", (string?)errors["gateway_ip"]![0], StringComparison.Ordinal);
        Assert.Contains("192.168.0.0/24", (string?)errors["gateway_ip"]![0], StringComparison.Ordinal);
        Assert.Equal(["10.64.0.0/16"], await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_GatewayWithPrefixlenOutsideBounds_400NamesPrefixlen()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.65.0.0/16" }, min_prefixlen = 24 });

        var problem = await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = "10.65.0.1", prefixlen = 20 }));

        Assert.Equal(["prefixlen"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("minimum allowed prefix is 24", (string?)problem["errors"]!["prefixlen"]![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.146.0.0/16", "2001:d00::1", null)]
    [InlineData("10.146.0.0/16", "2001:d00::1", 24)]
    [InlineData("2001:db8:146::/48", "10.146.0.1", null)]
    [InlineData("2001:db8:146::/48", "10.146.0.1", 24)]
    public async Task CreateSubnet_GatewayOfTheOtherFamily_400NamingTheGatewayAndNothingTaken(string prefix, string gateway, int? prefixlen)
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { prefix } });

        var problem = await ValidationProblemAsync(
            await PostFromPoolAsync(new { subnet_pool_id = Id(pool), gateway_ip = gateway, prefixlen }), "invalid-gateway");

        Assert.Equal(["gateway_ip"], problem["errors"]!.AsObject().Select(e => e.Key));
        var message = (string?)problem["errors"]!["gateway_ip"]![0];
        Assert.Contains(gateway, message, StringComparison.Ordinal);
        Assert.Contains($"subnet pool {Id(pool)} is IPv{(prefix.Contains(':') ? 6 : 4)}", message, StringComparison.Ordinal);
        Assert.Equal([prefix], await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_NullGatewayAndPrefixlen_BestFitWithoutGateway()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.144.0.0/16" }, min_prefixlen = 16 });

        var subnet = await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/subnets", $$"""{"subnet_pool_id":"{{Id(pool)}}","gateway_ip":null,"prefixlen":24}"""), 201);

        Assert.Equal("10.144.0.0/24", (string?)subnet["cidr"]);
        Assert.Null(subnet["gateway_ip"]);
    }
}

public sealed class SubnetFromPoolGatewayTestsOnSqlite(SqliteApiFixture api) : SubnetFromPoolGatewayTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetFromPoolGatewayTestsOnPostgres(PostgresApiFixture api) : SubnetFromPoolGatewayTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetFromPoolGatewayTestsOnThreeInstances(ThreeInstancesApiFixture api) : SubnetFromPoolGatewayTests(api), IClassFixture<ThreeInstancesApiFixture>;
