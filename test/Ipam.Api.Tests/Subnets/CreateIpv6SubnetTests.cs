using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// Creating IPv6 subnets: exact totals beyond 64 bits, /127 and /128, address modes and canonical forms.
/// </summary>
public abstract class CreateIpv6SubnetTests(ApiFixture api)
{
    private static readonly string TwoTo64Minus2 = ((UInt128.One << 64) - 2).ToString();
    private static readonly string TwoTo64Minus1 = ((UInt128.One << 64) - 1).ToString();

    [Fact]
    public async Task Create_Ipv6Slash64Defaults_PoolKeepsAllOnesAndTotalIsExact()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8::/64" });

        Assert.Equal("2001:db8::/64", (string?)subnet["cidr"]);
        Assert.Equal(6, (int)subnet["ip_version"]!);
        Assert.Equal("2001:db8::1", (string?)subnet["gateway_ip"]);
        Assert.Equal(["2001:db8::2-2001:db8::ffff:ffff:ffff:ffff"], PoolsOf(subnet));
        // 2^64 addresses minus the subnet-router anycast address and the gateway; IPv6 has no broadcast.
        Assert.Equal(TwoTo64Minus2, Usage(subnet, "total"));
        Assert.Equal(TwoTo64Minus2, Usage(subnet, "free"));
        Assert.Equal("0", Usage(subnet, "allocated"));

        var shown = await api.Client.GetStringAsync($"/v1/subnets/{Id(subnet)}");
        Assert.Contains($"\"total\":{TwoTo64Minus2}", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Ipv6Slash64WithoutGateway_PoolFromFirstHostToAllOnes()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:1::/64", gateway_ip = (string?)null });

        Assert.Null(subnet["gateway_ip"]);
        // RFC 5952: "::" never stands for a single zero field.
        Assert.Equal(["2001:db8:1::1-2001:db8:1:0:ffff:ffff:ffff:ffff"], PoolsOf(subnet));
        Assert.Equal(TwoTo64Minus1, Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Ipv6Slash48_TotalBeyond64BitsIsExact()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:2::/48" });

        Assert.Equal(["2001:db8:2::2-2001:db8:2:ffff:ffff:ffff:ffff:ffff"], PoolsOf(subnet));
        Assert.Equal(((UInt128.One << 80) - 2).ToString(), Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Ipv6GatewayAtSubnetRouterAnycast_Accepted()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:3::/64", gateway_ip = "2001:db8:3::" });

        Assert.Equal("2001:db8:3::", (string?)subnet["gateway_ip"]);
        Assert.Equal(["2001:db8:3::1-2001:db8:3:0:ffff:ffff:ffff:ffff"], PoolsOf(subnet));
    }

    [Fact]
    public async Task Create_Ipv6Slash127_NoGatewayAndBothAddressesInPool()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:4::/127" });

        Assert.Null(subnet["gateway_ip"]);
        Assert.Equal(["2001:db8:4::-2001:db8:4::1"], PoolsOf(subnet));
        Assert.Equal("2", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Ipv6Slash128_NoGatewayAndTheAddressIsThePool()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:5::7/128" });

        Assert.Null(subnet["gateway_ip"]);
        Assert.Equal(["2001:db8:5::7-2001:db8:5::7"], PoolsOf(subnet));
        Assert.Equal("1", Usage(subnet, "total"));
    }

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateful")]
    [InlineData("dhcpv6-stateless")]
    public async Task Create_Ipv6AddressMode_StoredAndShown(string mode)
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:6::/64", ipv6_address_mode = mode });

        Assert.Equal(mode, (string?)subnet["ipv6_address_mode"]);
        Assert.Equal(mode, (string?)(await api.GetSubnetAsync(Id(subnet)))["ipv6_address_mode"]);
    }

    [Fact]
    public async Task Create_Ipv6WithoutAddressMode_ModeIsNull()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "2001:db8:7::/64" });

        Assert.True(subnet.ContainsKey("ipv6_address_mode"));
        Assert.Null(subnet["ipv6_address_mode"]);
    }

    [Fact]
    public async Task Create_NonCanonicalIpv6Input_Canonicalised()
    {
        var subnet = await api.CreateSubnetAsync(new
        {
            cidr = "2001:DB8:0:0::/64",
            gateway_ip = "2001:0DB8:0:0:0:0:0:00FE",
            allocation_pools = new[] { new { start = "2001:DB8::0:0100", end = "2001:db8:0000::01FF" } },
        });

        Assert.Equal("2001:db8::/64", (string?)subnet["cidr"]);
        Assert.Equal("2001:db8::fe", (string?)subnet["gateway_ip"]);
        Assert.Equal(["2001:db8::100-2001:db8::1ff"], PoolsOf(subnet));
        Assert.Equal("256", Usage(subnet, "total"));
    }
}

public sealed class CreateIpv6SubnetTestsOnSqlite(SqliteApiFixture api) : CreateIpv6SubnetTests(api), IClassFixture<SqliteApiFixture>;

public sealed class CreateIpv6SubnetTestsOnPostgres(PostgresApiFixture api) : CreateIpv6SubnetTests(api), IClassFixture<PostgresApiFixture>;

public sealed class CreateIpv6SubnetTestsOnThreeInstances(ThreeInstancesApiFixture api) : CreateIpv6SubnetTests(api), IClassFixture<ThreeInstancesApiFixture>;
