using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>Invalid subnets: CIDR syntax and host bits, allocation pools, gateways and IPv6 address modes.</summary>
public abstract class InvalidSubnetInputTests(ApiFixture api) : BadInputTestBase(api)
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name": "no cidr"}""")]
    [InlineData("""{"cidr": null}""")]
    [InlineData("""{"cidr": ""}""")]
    [InlineData("""{"cidr": "   "}""")]
    public async Task CreateSubnet_MissingCidr_Returns400InvalidRequest(string body)
    {
        var problem = await CreateRejectedAsync(body);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("cidr"));
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("10.0.0/24")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("/24")]
    [InlineData("10.0.0.0/abc")]
    [InlineData("10.0.0.0/24/8")]
    [InlineData("10.0.0.256/24")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0 /24")]
    [InlineData("2001:db8::/")]
    [InlineData("2001:db8:::/64")]
    [InlineData("fe80::%eth0/64")]
    public async Task CreateSubnet_InvalidCidrSyntax_Returns400InvalidRequest(string cidr)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("cidr"));
    }

    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.0/24")]
    [InlineData("192.168.1.130/25", "192.168.1.128/25")]
    [InlineData("2001:db8::1/64", "2001:db8::/64")]
    [InlineData("2001:db8:0:0:1::/64", "2001:db8::/64")]
    public async Task CreateSubnet_CidrWithHostBits_Returns400SuggestingTheNetwork(string cidr, string network)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr }.ToJsonString());

        var messages = string.Join(" ", problem["errors"]!["cidr"]!.AsArray().Select(m => (string?)m));
        Assert.Contains(network, messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/128")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/1000")]
    public async Task CreateSubnet_PrefixLengthBeyondFamily_Returns400InvalidRequest(string cidr) =>
        await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr }.ToJsonString());


    [Theory]
    [InlineData("""[{"start": "10.1.0.5", "end": "10.1.0.9"}]""")]
    [InlineData("""[{"start": "10.0.0.250", "end": "10.0.1.5"}]""")]
    [InlineData("""[{"start": "2001:db8::5", "end": "2001:db8::9"}]""")]
    [InlineData("""[{"start": "10.0.0.5", "end": "2001:db8::9"}]""")]
    [InlineData("""[{"start": "10.0.0.9", "end": "10.0.0.5"}]""")]
    [InlineData("""[{"start": "10.0.0.5", "end": "10.0.0.9"}, {"start": "10.0.0.9", "end": "10.0.0.20"}]""")]
    [InlineData("""[{"start": "10.0.0.1", "end": "10.0.0.20"}]""")]
    [InlineData("""[{"start": "10.0.0.0", "end": "10.0.0.20"}]""")]
    [InlineData("""[{"start": "10.0.0.200", "end": "10.0.0.255"}]""")]
    public async Task CreateSubnet_InvalidAllocationPools_Returns400InvalidAllocationPools(string pools)
    {
        var problem = await CreateRejectedAsync($$"""{"cidr": "10.0.0.0/24", "allocation_pools": {{pools}}}""", "invalid-allocation-pools");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("allocation_pools"));
    }

    [Theory]
    [InlineData("""[{"start": "10.0.0.2"}]""", "allocation_pools[0].end", "allocation_pools[0].end is required.")]
    [InlineData("""[{"start": "10.0.0.2", "end": null}]""", "allocation_pools[0].end", "allocation_pools[0].end is required.")]
    [InlineData("""[{}]""", "allocation_pools[0].start", "allocation_pools[0].start is required.")]
    [InlineData("""[{"start": null, "end": "10.0.0.5"}]""", "allocation_pools[0].start", "allocation_pools[0].start is required.")]
    [InlineData("""[{"start": "10.0.0.2", "end": "10.0.0.5"}, {"end": "10.0.0.9"}]""", "allocation_pools[1].start", "allocation_pools[1].start is required.")]
    [InlineData("""[null]""", "allocation_pools[0]", "allocation_pools[0] must be an object with start and end, not null.")]
    public async Task CreateAndUpdateSubnet_PoolBoundMissingOrNull_Returns400NamingItsPlace(string pools, string field, string message)
    {
        var created = await CreateRejectedAsync($$"""{"cidr": "10.0.0.0/24", "allocation_pools": {{pools}}}""");
        var patched = await PatchRejectedAsync($$"""{"allocation_pools": {{pools.Replace("10.0.0.", "10.90.0.", StringComparison.Ordinal)}}}""");

        foreach (var problem in new[] { created, patched })
        {
            Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
            Assert.Equal(message, (string?)problem["errors"]![field]![0]);
        }
    }

    [Fact]
    public async Task CreateSubnet_Ipv4PoolOnIpv6Subnet_Returns400InvalidAllocationPools() =>
        await CreateRejectedAsync("""{"cidr": "2001:db8::/64", "allocation_pools": [{"start": "10.0.0.5", "end": "10.0.0.9"}]}""", "invalid-allocation-pools");

    [Theory]
    [InlineData("1.2.3.")]
    [InlineData("10.0.0.300")]
    [InlineData("gateway")]
    [InlineData("")]
    [InlineData("10.0.0.1/24")]
    [InlineData("2001:db8::g")]
    public async Task CreateSubnet_InvalidGatewaySyntax_Returns400InvalidRequest(string gateway)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = "10.0.0.0/24", ["gateway_ip"] = gateway }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("gateway_ip"));
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0")]
    [InlineData("10.0.0.0/24", "10.0.0.255")]
    [InlineData("10.0.0.0/24", "2001:db8::1")]
    [InlineData("2001:db8::/64", "10.0.0.1")]
    public async Task CreateSubnet_UnusableGateway_Returns400InvalidGateway(string cidr, string gateway)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr, ["gateway_ip"] = gateway }.ToJsonString(), "invalid-gateway");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("gateway_ip"));
    }


    [Theory]
    [InlineData("slaac2")]
    [InlineData("dhcpv6")]
    [InlineData("SLAAC")]
    [InlineData("")]
    public async Task CreateSubnet_UnknownIpv6AddressMode_Returns400InvalidRequest(string mode)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = "2001:db8::/64", ["ipv6_address_mode"] = mode }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("ipv6_address_mode"));
    }

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateful")]
    [InlineData("dhcpv6-stateless")]
    public async Task CreateSubnet_Ipv6AddressModeOnIpv4_Returns400InvalidRequest(string mode) =>
        await CreateRejectedAsync(new JsonObject { ["cidr"] = "10.0.0.0/24", ["ipv6_address_mode"] = mode }.ToJsonString());

    [Theory]
    [InlineData("slaac", "2001:db8::/56")]
    [InlineData("slaac", "2001:db8::/80")]
    [InlineData("dhcpv6-stateless", "2001:db8::/56")]
    public async Task CreateSubnet_AutoconfiguredModeOnNonSlash64_Returns400InvalidRequest(string mode, string cidr) =>
        await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr, ["ipv6_address_mode"] = mode }.ToJsonString());
}

public sealed class InvalidSubnetInputTestsOnSqlite(SqliteApiFixture api) : InvalidSubnetInputTests(api), IClassFixture<SqliteApiFixture>;

public sealed class InvalidSubnetInputTestsOnPostgres(PostgresApiFixture api) : InvalidSubnetInputTests(api), IClassFixture<PostgresApiFixture>;

public sealed class InvalidSubnetInputTestsOnThreeInstances(ThreeInstancesApiFixture api) : InvalidSubnetInputTests(api), IClassFixture<ThreeInstancesApiFixture>;
