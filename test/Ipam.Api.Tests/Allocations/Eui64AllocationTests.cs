using System.Globalization;
using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// Allocation by MAC address (modified EUI-64) and the IPv6 address modes that allow or forbid each kind
/// of allocation.
/// </summary>
public abstract class Eui64AllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    /// <summary>
    /// The modified EUI-64 address (RFC 4291 appendix A) of <paramref name="mac"/> in a /64: the interface
    /// identifier is the MAC with <c>ff:fe</c> in the middle and the universal/local bit inverted.
    /// </summary>
    private static string Eui64(string prefix, string mac)
    {
        var m = mac.Split(':').Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        var bytes = IPAddress.Parse(prefix).GetAddressBytes();
        byte[] interfaceId = [(byte)(m[0] ^ 0x02), m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]];
        interfaceId.CopyTo(bytes, 8);
        return new IPAddress(bytes).ToString();
    }

    [Theory]
    [InlineData("fa:16:3e:00:11:22")]
    [InlineData("00:1b:21:aa:bb:cc")]
    [InlineData("02:00:00:00:00:01")]
    public async Task Allocate_MacOnSlash64_ReturnsModifiedEui64Address(string mac)
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:50::/64" });

        var allocation = await Api.AllocateAsync(id, new { mac_address = mac });

        Assert.Equal(Eui64("2001:db8:50::", mac), Ip(allocation));
        Assert.Equal([Ip(allocation)], await Api.AllocatedAddressesAsync(id));
        Assert.Equal("1", Usage(await Api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_MacKnownExample_MatchesNeutron()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8::/64" });

        Assert.Equal("2001:db8::f816:3eff:fe00:1122", Ip(await Api.AllocateAsync(id, new { mac_address = "fa:16:3e:00:11:22" })));
    }

    [Fact]
    public async Task Allocate_SameMacTwice_Returns409AddressInUse()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:51::/64" });
        var first = await Api.AllocateAsync(id, new { mac_address = "fa:16:3e:aa:bb:cc", owner = "port-1" });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { mac_address = "fa:16:3e:aa:bb:cc" }), 409, "address-in-use");

        Assert.Equal(Ip(first), (string?)problem["ip_address"]);
        Assert.Equal("port-1", (string?)problem["owner"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("10.50.0.0/24")]
    [InlineData("2001:db8:52::/80")]
    [InlineData("2001:db8:53::/56")]
    public async Task Allocate_MacOnIpv4OrNonSlash64_Returns400AddressModeConflictAndChangesNothing(string cidr)
    {
        var id = await SubnetAsync(new { cidr });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { mac_address = "fa:16:3e:00:11:22" }), 400, "address-mode-conflict");

        Assert.True(problem.ContainsKey("ipv6_address_mode"));
        Assert.Null(problem["ipv6_address_mode"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    public static TheoryData<string, string> AutoconfiguredRequests()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in new[] { "slaac", "dhcpv6-stateless" })
        {
            data.Add(mode, """{}""");
            data.Add(mode, """{"strategy": "random"}""");
            data.Add(mode, """{"strategy": "next"}""");
            data.Add(mode, """{"ip_address": "2001:db8:54::50"}""");
            data.Add(mode, """{"count": 3}""");
            data.Add(mode, """{"count": 2, "strategy": "next"}""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AutoconfiguredRequests))]
    public async Task Allocate_NonMacOnAutoconfiguredSubnet_Returns400AddressModeConflictAndChangesNothing(string mode, string body)
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:54::/64", ipv6_address_mode = mode });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await Api.PostJsonAsync($"/v1/subnets/{id}/allocations", body), 400, "address-mode-conflict");

        Assert.Equal(mode, (string?)problem["ipv6_address_mode"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateless")]
    [InlineData("dhcpv6-stateful")]
    public async Task Allocate_MacOnIpv6ModeSubnet_Returns201(string mode)
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:55::/64", ipv6_address_mode = mode });

        var allocation = await Api.AllocateAsync(id, new { mac_address = "fa:16:3e:12:34:56" });

        Assert.Equal(Eui64("2001:db8:55::", "fa:16:3e:12:34:56"), Ip(allocation));
    }

    [Fact]
    public async Task Allocate_MacWhoseAddressIsTheGateway_Returns400AddressReservedWithoutOfferingAllowGateway()
    {
        var gateway = Eui64("2001:db8:57::", "fa:16:3e:00:00:07");
        var id = await SubnetAsync(new { cidr = "2001:db8:57::/64", ipv6_address_mode = "slaac", gateway_ip = gateway });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { mac_address = "fa:16:3e:00:00:07" }), 400, "address-reserved");

        Assert.Equal(gateway, (string?)problem["ip_address"]);
        Assert.DoesNotContain("allow_gateway", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("gateway", (string?)problem["reason"], StringComparison.Ordinal);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_Dhcpv6Stateful_AllowsEveryKind()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:56::/64", ipv6_address_mode = "dhcpv6-stateful" });

        var random = Ip(await Api.AllocateAsync(id));
        Assert.Equal("2001:db8:56::2", Ip(await Api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("2001:db8:56::99", Ip(await Api.AllocateAsync(id, new { ip_address = "2001:db8:56::99" })));
        var mac = Ip(await Api.AllocateAsync(id, new { mac_address = "fa:16:3e:00:00:01" }));
        var bulk = Items(await Api.AllocateAsync(id, new { count = 3 }));

        var all = new[] { random, "2001:db8:56::2", "2001:db8:56::99", mac }.Concat(bulk).ToList();
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(all.Order(), (await Api.AllocatedAddressesAsync(id)).Order());
    }
}

public sealed class Eui64AllocationTestsOnSqlite(SqliteApiFixture api) : Eui64AllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class Eui64AllocationTestsOnPostgres(PostgresApiFixture api) : Eui64AllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class Eui64AllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : Eui64AllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
