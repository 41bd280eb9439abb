using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// An imported allocation on a <c>slaac</c> or <c>dhcpv6-stateless</c> subnet is held to the allocation API's rule:
/// only an EUI-64 address, one a mac_address request could have given.
/// </summary>
public abstract class ImportAddressModeTests(ApiFixture api) : ImportRefusalTestBase(api)
{
    [Theory]
    [InlineData("slaac", "2001:db8:71::5")]
    [InlineData("dhcpv6-stateless", "2001:db8:71::5")]
    [InlineData("slaac", "2001:db8:71::f816:3eff:fd00:1122")]
    public async Task Import_NonEui64AddressOnAutoconfiguredSubnet_RefusedNamingTheAddressAndChangesNothing(string mode, string address)
    {
        var problem = await ImportRejectedAsync(Plan(mode, "2001:db8:71::f816:3eff:fe00:1122", address), "address-mode-conflict");

        Assert.Equal(["allocations[1].ip_address"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("slaac", "2001:db8:72::f816:3eff:fe00:1122")]
    [InlineData("dhcpv6-stateless", "2001:db8:72::200:5eff:fe00:5301")]
    [InlineData("dhcpv6-stateful", "2001:db8:72::5")]
    public async Task Import_AddressTheAllocationApiAllows_Imported(string mode, string address)
    {
        var plan = Plan(mode, address);

        await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/import", plan), 200);
    }

    [Theory]
    [InlineData("slaac", 80)]
    [InlineData("dhcpv6-stateless", 48)]
    public async Task Import_AutoconfiguredSubnetNotA64_RefusedAsCreateRefusesItAndChangesNothing(string mode, int prefixLength)
    {
        var plan = $$"""
            {{{Format}}, "subnets": [{"id": "{{Guid.NewGuid()}}", "cidr": "2001:db8:73::/{{prefixLength}}", "gateway_ip": null, "ipv6_address_mode": "{{mode}}"}]}
            """;

        var problem = await ImportRejectedAsync(plan, "invalid-request");

        Assert.Equal(["subnets[0].cidr"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    private static string Plan(string mode, params string[] addresses)
    {
        var subnet = Guid.NewGuid();
        var allocations = string.Join(", ", addresses.Select(a => $$"""{"subnet_id": "{{subnet}}", "ip_address": "{{a}}"}"""));
        var prefix = addresses[0][..addresses[0].IndexOf("::", StringComparison.Ordinal)];
        return $$"""
            {{{Format}}, "subnets": [{"id": "{{subnet}}", "cidr": "{{prefix}}::/64", "gateway_ip": null, "ipv6_address_mode": "{{mode}}"}],
             "allocations": [{{allocations}}]}
            """;
    }
}

public sealed class ImportAddressModeTestsOnSqlite(SqliteApiFixture api) : ImportAddressModeTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ImportAddressModeTestsOnPostgres(PostgresApiFixture api) : ImportAddressModeTests(api), IClassFixture<PostgresApiFixture>;
