using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests;

/// <summary>
/// <c>/v1/subnets/{id}/allocations</c>: random, next, specific, EUI-64 and bulk allocation, the IPv6 address
/// modes, exhaustion, listing, release, idempotency keys and reservations.
/// </summary>
public abstract class AllocationsApiTests(ApiFixture api)
{
    private async Task<string> SubnetAsync(object body) => Id(await api.CreateSubnetAsync(body));

    private Task<HttpResponseMessage> PostAllocationAsync(string subnetId, object body) =>
        api.PostAsync($"/v1/subnets/{subnetId}/allocations", body);

    private static List<string> Items(JsonObject bulk) => [.. bulk["items"]!.AsArray().Select(a => Ip(a!.AsObject()))];

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

    // ---- random ----

    [Fact]
    public async Task Allocate_RandomUntilFull_HandsOutExactlyThePoolAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.40.0.0/28" });
        var got = new List<string>();
        for (var i = 0; i < 13; i++)
        {
            got.Add(Ip(await api.AllocateAsync(id, i % 2 == 0 ? new { } : new { strategy = "random" })));
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
            Assert.True(got.Add(Ip(await api.AllocateAsync(id))));
        }

        Assert.DoesNotContain("10.40.2.0", got);
        Assert.DoesNotContain("10.40.2.128", got);
        Assert.DoesNotContain("10.40.2.255", got);
        Assert.All(got, ip => Assert.InRange(V4(ip), V4("10.40.2.1"), V4("10.40.2.254")));
        Assert.Equal("40", Usage(await api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_RandomOnIpv6Slash64_InsidePool()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:40::/64" });
        var got = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var ip = IPAddress.Parse(Ip(await api.AllocateAsync(id)));
            var bytes = ip.GetAddressBytes();
            Assert.Equal(IPAddress.Parse("2001:db8:40::").GetAddressBytes()[..8], bytes[..8]);
            Assert.NotEqual("2001:db8:40::", ip.ToString());
            Assert.NotEqual("2001:db8:40::1", ip.ToString());
            Assert.True(got.Add(ip.ToString()));
        }

        var subnet = await api.GetSubnetAsync(id);
        Assert.Equal("10", Usage(subnet, "allocated"));
        Assert.Equal(((UInt128.One << 64) - 12).ToString(), Usage(subnet, "free"));
    }

    [Fact]
    public async Task Allocate_RandomAfterRelease_ReturnsTheOnlyFreeAddress()
    {
        var id = await SubnetAsync(new { cidr = "10.40.3.0/29" });
        for (var i = 0; i < 5; i++)
        {
            await api.AllocateAsync(id);
        }

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.40.3.4"), HttpStatusCode.NoContent);

        Assert.Equal("10.40.3.4", Ip(await api.AllocateAsync(id)));
    }

    // ---- next ----

    [Fact]
    public async Task Allocate_Next_AscendingAndReusesTheLowestReleased()
    {
        var id = await SubnetAsync(new { cidr = "10.41.0.0/24" });

        Assert.Equal("10.41.0.2", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.0.3", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.0.4", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.41.0.3"), HttpStatusCode.NoContent);
        Assert.Equal("10.41.0.3", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.0.5", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Allocate_NextAcrossSplitPools_SkipsGatewayThenExhausts()
    {
        var id = await SubnetAsync(new { cidr = "10.41.1.0/29", gateway_ip = "10.41.1.4" });
        var got = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            got.Add(Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        }

        Assert.Equal(["10.41.1.1", "10.41.1.2", "10.41.1.3", "10.41.1.5", "10.41.1.6"], got);
        await ProblemAsync(await PostAllocationAsync(id, new { strategy = "next" }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Allocate_NextSkipsSpecificallyTakenAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.41.2.0/24" });
        await api.AllocateAsync(id, new { ip_address = "10.41.2.2" });
        await api.AllocateAsync(id, new { ip_address = "10.41.2.4" });

        Assert.Equal("10.41.2.3", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("10.41.2.5", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Allocate_NextOnIpv6_StartsAfterGateway()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:41::/64" });

        Assert.Equal("2001:db8:41::2", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("2001:db8:41::3", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
    }

    // ---- specific ----

    [Fact]
    public async Task Allocate_SpecificInsidePools_ReturnsThatAddress()
    {
        var id = await SubnetAsync(new { cidr = "10.42.0.0/24" });

        var allocation = await api.AllocateAsync(id, new { ip_address = "10.42.0.50" });

        Assert.Equal("10.42.0.50", Ip(allocation));
        var subnet = await api.GetSubnetAsync(id);
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

        Assert.Equal("10.42.1.200", Ip(await api.AllocateAsync(id, new { ip_address = "10.42.1.200" })));

        var subnet = await api.GetSubnetAsync(id);
        Assert.Equal("11", Usage(subnet, "total"));
        Assert.Equal("0", Usage(subnet, "allocated"));
        Assert.Equal("11", Usage(subnet, "free"));
        Assert.Equal("1", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Allocate_SpecificNonCanonical_StoredCanonical()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:42::/64" });

        var allocation = await api.AllocateAsync(id, new { ip_address = "2001:DB8:42:0:0:0:0:00AB" });

        Assert.Equal("2001:db8:42::ab", Ip(allocation));
        Assert.Equal(["2001:db8:42::ab"], await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificGatewayWithoutAllowGateway_Returns400AddressReservedAndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.42.2.0/24" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = "10.42.2.1" }), 400, "address-reserved");

        Assert.Equal("10.42.2.1", (string?)problem["ip_address"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificGatewayWithAllowGateway_Returns201()
    {
        var id = await SubnetAsync(new { cidr = "10.42.3.0/24" });

        var allocation = await api.AllocateAsync(id, new { ip_address = "10.42.3.1", allow_gateway = true, owner = "router" });

        Assert.Equal("10.42.3.1", Ip(allocation));
        Assert.Equal("router", (string?)allocation["owner"]);
        var subnet = await api.GetSubnetAsync(id);
        Assert.Equal("0", Usage(subnet, "allocated"));
        Assert.Equal("1", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Allocate_SpecificGatewayOnIpv6_NeedsAllowGateway()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:43::/64" });

        await ProblemAsync(await PostAllocationAsync(id, new { ip_address = "2001:db8:43::1" }), 400, "address-reserved");
        Assert.Equal("2001:db8:43::1", Ip(await api.AllocateAsync(id, new { ip_address = "2001:db8:43::1", allow_gateway = true })));
    }

    [Theory]
    [InlineData("10.42.4.0", false)]
    [InlineData("10.42.4.255", false)]
    [InlineData("10.42.4.0", true)]
    [InlineData("10.42.4.255", true)]
    public async Task Allocate_SpecificNetworkOrBroadcast_Returns400AddressReservedAndChangesNothing(string address, bool allowGateway)
    {
        var id = await SubnetAsync(new { cidr = "10.42.4.0/24" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = address, allow_gateway = allowGateway }), 400, "address-reserved");

        Assert.Equal(address, (string?)problem["ip_address"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificOnSlash31_BothAddressesAllowed()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.10/31" });

        Assert.Equal("192.0.2.10", Ip(await api.AllocateAsync(id, new { ip_address = "192.0.2.10" })));
        Assert.Equal("192.0.2.11", Ip(await api.AllocateAsync(id, new { ip_address = "192.0.2.11" })));
        Assert.Equal("2", Usage(await api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_SpecificOnSlash32_TheAddressIsAllowed()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.20/32" });

        Assert.Equal("192.0.2.20", Ip(await api.AllocateAsync(id, new { ip_address = "192.0.2.20" })));
    }

    [Fact]
    public async Task Allocate_RandomOnSlash31_HandsOutBothAddresses()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.30/31" });

        var got = new[] { Ip(await api.AllocateAsync(id)), Ip(await api.AllocateAsync(id)) };

        Assert.Equal(["192.0.2.30", "192.0.2.31"], got.Order());
        await ProblemAsync(await PostAllocationAsync(id, new { }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Allocate_NextOnSlash32_HandsOutTheAddress()
    {
        var id = await SubnetAsync(new { cidr = "192.0.2.40/32" });

        Assert.Equal("192.0.2.40", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Allocate_SpecificIpv6SubnetRouterAndAllOnes_Allowed()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:44::/64" });

        Assert.Equal("2001:db8:44::", Ip(await api.AllocateAsync(id, new { ip_address = "2001:db8:44::" })));
        Assert.Equal("2001:db8:44:0:ffff:ffff:ffff:ffff", Ip(await api.AllocateAsync(id, new { ip_address = "2001:db8:44:0:ffff:ffff:ffff:ffff" })));
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
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = address }), 400, "address-outside-subnet");

        Assert.Equal(address, (string?)problem["ip_address"]);
        Assert.Equal(cidr, (string?)problem["cidr"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificAlreadyAllocated_Returns409AddressInUseWithOwnerAndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.42.8.0/24" });
        await api.AllocateAsync(id, new { ip_address = "10.42.8.9", owner = "vm-first", description = "first" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = "10.42.8.9", owner = "vm-second" }), 409, "address-in-use");

        Assert.Equal("10.42.8.9", (string?)problem["ip_address"]);
        Assert.Equal("vm-first", (string?)problem["owner"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SpecificAddressTakenByNext_Returns409AddressInUse()
    {
        var id = await SubnetAsync(new { cidr = "10.42.9.0/24" });
        var taken = Ip(await api.AllocateAsync(id, new { strategy = "next" }));

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { ip_address = taken }), 409, "address-in-use");

        Assert.Equal(taken, (string?)problem["ip_address"]);
        Assert.True(problem.ContainsKey("owner"));
    }

    // ---- EUI-64 ----

    [Theory]
    [InlineData("fa:16:3e:00:11:22")]
    [InlineData("00:1b:21:aa:bb:cc")]
    [InlineData("02:00:00:00:00:01")]
    public async Task Allocate_MacOnSlash64_ReturnsModifiedEui64Address(string mac)
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:50::/64" });

        var allocation = await api.AllocateAsync(id, new { mac_address = mac });

        Assert.Equal(Eui64("2001:db8:50::", mac), Ip(allocation));
        Assert.Equal([Ip(allocation)], await api.AllocatedAddressesAsync(id));
        Assert.Equal("1", Usage(await api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_MacKnownExample_MatchesNeutron()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8::/64" });

        Assert.Equal("2001:db8::f816:3eff:fe00:1122", Ip(await api.AllocateAsync(id, new { mac_address = "fa:16:3e:00:11:22" })));
    }

    [Fact]
    public async Task Allocate_SameMacTwice_Returns409AddressInUse()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:51::/64" });
        var first = await api.AllocateAsync(id, new { mac_address = "fa:16:3e:aa:bb:cc", owner = "port-1" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { mac_address = "fa:16:3e:aa:bb:cc" }), 409, "address-in-use");

        Assert.Equal(Ip(first), (string?)problem["ip_address"]);
        Assert.Equal("port-1", (string?)problem["owner"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("10.50.0.0/24")]
    [InlineData("2001:db8:52::/80")]
    [InlineData("2001:db8:53::/56")]
    public async Task Allocate_MacOnIpv4OrNonSlash64_Returns400AddressModeConflictAndChangesNothing(string cidr)
    {
        var id = await SubnetAsync(new { cidr });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { mac_address = "fa:16:3e:00:11:22" }), 400, "address-mode-conflict");

        Assert.True(problem.ContainsKey("ipv6_address_mode"));
        Assert.Null(problem["ipv6_address_mode"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
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
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await api.PostJsonAsync($"/v1/subnets/{id}/allocations", body), 400, "address-mode-conflict");

        Assert.Equal(mode, (string?)problem["ipv6_address_mode"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateless")]
    [InlineData("dhcpv6-stateful")]
    public async Task Allocate_MacOnIpv6ModeSubnet_Returns201(string mode)
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:55::/64", ipv6_address_mode = mode });

        var allocation = await api.AllocateAsync(id, new { mac_address = "fa:16:3e:12:34:56" });

        Assert.Equal(Eui64("2001:db8:55::", "fa:16:3e:12:34:56"), Ip(allocation));
    }

    [Fact]
    public async Task Allocate_Dhcpv6Stateful_AllowsEveryKind()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:56::/64", ipv6_address_mode = "dhcpv6-stateful" });

        var random = Ip(await api.AllocateAsync(id));
        Assert.Equal("2001:db8:56::2", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
        Assert.Equal("2001:db8:56::99", Ip(await api.AllocateAsync(id, new { ip_address = "2001:db8:56::99" })));
        var mac = Ip(await api.AllocateAsync(id, new { mac_address = "fa:16:3e:00:00:01" }));
        var bulk = Items(await api.AllocateAsync(id, new { count = 3 }));

        var all = new[] { random, "2001:db8:56::2", "2001:db8:56::99", mac }.Concat(bulk).ToList();
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(all.Order(), (await api.AllocatedAddressesAsync(id)).Order());
    }

    // ---- bulk ----

    [Fact]
    public async Task Allocate_Count_ReturnsItemsWithThatManyDistinctPoolAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.60.0.0/24" });

        var bulk = await api.AllocateAsync(id, new { count = 25, owner = "batch" });

        var items = bulk["items"]!.AsArray();
        Assert.Equal(25, items.Count);
        var ips = Items(bulk);
        Assert.Equal(25, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.InRange(V4(ip), V4("10.60.0.2"), V4("10.60.0.254")));
        Assert.All(items, a => Assert.Equal("batch", (string?)a!["owner"]));
        Assert.All(items, a => Assert.Equal(id, (string?)a!["subnet_id"]));
        Assert.Equal(ips.Order(), (await api.AllocatedAddressesAsync(id)).Order());
        Assert.Equal("25", Usage(await api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_CountOne_ReturnsItemsList()
    {
        var id = await SubnetAsync(new { cidr = "10.60.1.0/24" });

        var bulk = await api.AllocateAsync(id, new { count = 1 });

        Assert.Single(bulk["items"]!.AsArray());
    }

    [Fact]
    public async Task Allocate_CountWithNext_ReturnsTheLowestFreeAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.60.2.0/24" });
        await api.AllocateAsync(id, new { ip_address = "10.60.2.4" });

        var bulk = await api.AllocateAsync(id, new { count = 5, strategy = "next" });

        Assert.Equal(["10.60.2.2", "10.60.2.3", "10.60.2.5", "10.60.2.6", "10.60.2.7"], Items(bulk).OrderBy(V4));
    }

    [Fact]
    public async Task Allocate_CountTakesEveryFreeAddress_ThenExhausted()
    {
        var id = await SubnetAsync(new { cidr = "10.60.3.0/28" });

        var bulk = await api.AllocateAsync(id, new { count = 13 });

        Assert.Equal(V4Range("10.60.3", 2, 14), Items(bulk).OrderBy(V4));
        var subnet = await api.GetSubnetAsync(id);
        Assert.Equal("13", Usage(subnet, "allocated"));
        Assert.Equal("0", Usage(subnet, "free"));
    }

    [Fact]
    public async Task Allocate_CountLargerThanFree_Returns409PoolExhaustedAndAllocatesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.60.4.0/28" });
        await api.AllocateAsync(id, new { count = 3 });
        await api.AllocateAsync(id, new { ip_address = "10.60.4.1", allow_gateway = true }); // outside the pool
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { count = 11 }), 409, "pool-exhausted");

        Assert.Equal(id, (string?)problem["subnet_id"]);
        Assert.Equal(11, (int)problem["requested"]!);
        Assert.Equal(10, (int)problem["free"]!);
        Assert.Equal(13, (int)problem["pool_size"]!);
        Assert.Equal(3, (int)problem["allocated"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        Assert.Equal(before, await api.SnapshotAsync(id));

        // Exactly the free count still succeeds afterwards.
        Assert.Equal(10, (await api.AllocateAsync(id, new { count = 10, strategy = "next" }))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Allocate_CountWithNextLargerThanFree_Returns409AndAllocatesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.60.5.0/29" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { count = 6, strategy = "next" }), 409, "pool-exhausted");

        Assert.Equal(6, (int)problem["requested"]!);
        Assert.Equal(5, (int)problem["free"]!);
        Assert.Equal(5, (int)problem["pool_size"]!);
        Assert.Equal(0, (int)problem["allocated"]!);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_CountMaximum_Accepted()
    {
        var id = await SubnetAsync(new { cidr = "10.61.0.0/18" });

        var bulk = await api.AllocateAsync(id, new { count = 10_000 });

        Assert.Equal(10_000, Items(bulk).Distinct().Count());
        Assert.Equal("10000", Usage(await api.GetSubnetAsync(id), "allocated"));
    }

    // ---- exhaustion ----

    [Fact]
    public async Task Allocate_Slash30SecondRequest_Returns409PoolExhaustedWithZeroFree()
    {
        var id = await SubnetAsync(new { cidr = "10.62.0.0/30" });
        Assert.Equal("10.62.0.2", Ip(await api.AllocateAsync(id)));
        var before = await api.SnapshotAsync(id);

        foreach (var body in new object[] { new { }, new { strategy = "next" } })
        {
            var problem = await ProblemAsync(await PostAllocationAsync(id, body), 409, "pool-exhausted");

            Assert.Equal(id, (string?)problem["subnet_id"]);
            Assert.Equal(1, (int)problem["requested"]!);
            Assert.Equal(0, (int)problem["free"]!);
            Assert.Equal(1, (int)problem["pool_size"]!);
            Assert.Equal(1, (int)problem["allocated"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        }

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_EmptyPools_Returns409PoolExhaustedWithPoolSizeZeroButSpecificWorks()
    {
        var id = await SubnetAsync(new { cidr = "10.62.1.0/24" });
        var patched = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"allocation_pools": []}"""), 200);
        Assert.Empty(PoolsOf(patched));
        var before = await api.SnapshotAsync(id);

        foreach (var body in new object[] { new { }, new { strategy = "next" }, new { count = 2 } })
        {
            var problem = await ProblemAsync(await PostAllocationAsync(id, body), 409, "pool-exhausted");

            Assert.Equal(0, (int)problem["pool_size"]!);
            Assert.Equal(0, (int)problem["free"]!);
            Assert.Equal(0, (int)problem["allocated"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["reason"]));
        }

        Assert.Equal(before, await api.SnapshotAsync(id));
        Assert.Equal("10.62.1.5", Ip(await api.AllocateAsync(id, new { ip_address = "10.62.1.5" })));
        Assert.Equal("1", Usage(await api.GetSubnetAsync(id), "outside_pools"));
    }

    // ---- owner, description, reading ----

    [Fact]
    public async Task Allocate_OwnerAndDescription_RoundTrip()
    {
        var id = await SubnetAsync(new { cidr = "10.63.0.0/24" });
        var started = DateTimeOffset.UtcNow;

        var created = await api.AllocateAsync(id, new { ip_address = "10.63.0.10", owner = "port-7f3a", description = "web frontend ✓" });

        Assert.Equal("port-7f3a", (string?)created["owner"]);
        Assert.Equal("web frontend ✓", (string?)created["description"]);
        var createdAt = (string)created["created_at"]!;
        Assert.EndsWith("Z", createdAt, StringComparison.Ordinal);
        var at = DateTimeOffset.Parse(createdAt, CultureInfo.InvariantCulture);
        Assert.InRange(at, started.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var shown = await api.GetJsonAsync($"/v1/subnets/{id}/allocations/10.63.0.10");
        Assert.True(JsonNode.DeepEquals(created, shown), $"{created.ToJsonString()} != {shown.ToJsonString()}");
        var listed = Assert.Single(await api.AllocationsAsync(id));
        Assert.True(JsonNode.DeepEquals(created, listed), $"{created.ToJsonString()} != {listed.ToJsonString()}");
    }

    [Fact]
    public async Task List_OrderedByAddressNumerically()
    {
        var id = await SubnetAsync(new { cidr = "10.63.1.0/24" });
        foreach (var ip in new[] { "10.63.1.200", "10.63.1.3", "10.63.1.10", "10.63.1.100", "10.63.1.25", "10.63.1.9" })
        {
            await api.AllocateAsync(id, new { ip_address = ip });
        }

        Assert.Equal(["10.63.1.3", "10.63.1.9", "10.63.1.10", "10.63.1.25", "10.63.1.100", "10.63.1.200"], await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task List_Ipv6_OrderedByAddressNumerically()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:63::/64" });
        foreach (var ip in new[] { "2001:db8:63::1:0", "2001:db8:63::a", "2001:db8:63::9", "2001:db8:63::10", "2001:db8:63:0:8000::" })
        {
            await api.AllocateAsync(id, new { ip_address = ip });
        }

        Assert.Equal(["2001:db8:63::9", "2001:db8:63::a", "2001:db8:63::10", "2001:db8:63::1:0", "2001:db8:63:0:8000::"], await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task List_OwnerFilter_ReturnsOnlyThatOwnersAllocations()
    {
        var id = await SubnetAsync(new { cidr = "10.63.2.0/24" });
        await api.AllocateAsync(id, new { ip_address = "10.63.2.30", owner = "alpha" });
        await api.AllocateAsync(id, new { ip_address = "10.63.2.20", owner = "beta" });
        await api.AllocateAsync(id, new { ip_address = "10.63.2.10", owner = "alpha" });
        await api.AllocateAsync(id, new { ip_address = "10.63.2.40" });

        var alpha = await api.ListAllAsync($"/v1/subnets/{id}/allocations?owner=alpha");
        var nobody = await api.ListAllAsync($"/v1/subnets/{id}/allocations?owner=gamma");

        Assert.Equal(["10.63.2.10", "10.63.2.30"], alpha.Select(Ip));
        Assert.All(alpha, a => Assert.Equal("alpha", (string?)a["owner"]));
        Assert.Empty(nobody);
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(6, 3)]
    [InlineData(4, 1)]
    [InlineData(2, 10)]
    public async Task List_Pagination_PagesDisjointCoverAllAndLastNextIsNull(int allocations, int limit)
    {
        var id = await SubnetAsync(new { cidr = "10.63.3.0/24" });
        var created = Items(await api.AllocateAsync(id, new { count = allocations }));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetJsonAsync($"/v1/subnets/{id}/allocations?limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, limit);
            seen.AddRange(items.Select(a => Ip(a!.AsObject())));
            Assert.True(page.ContainsKey("next"));
            cursor = (string?)page["next"];
            pages++;
            Assert.True(pages <= allocations, "pagination does not end");
        }
        while (cursor is not null);

        Assert.Equal((allocations + limit - 1) / limit, pages);
        Assert.Equal(created.OrderBy(V4), seen);
    }

    [Fact]
    public async Task List_EmptySubnet_EmptyItemsAndNullNext()
    {
        var id = await SubnetAsync(new { cidr = "10.63.4.0/24" });

        var page = await api.GetJsonAsync($"/v1/subnets/{id}/allocations");

        Assert.Empty(page["items"]!.AsArray());
        Assert.True(page.ContainsKey("next"));
        Assert.Null(page["next"]);
    }

    [Fact]
    public async Task Get_NotAllocated_Returns404AllocationNotFound()
    {
        var id = await SubnetAsync(new { cidr = "10.63.5.0/24" });

        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.63.5.77"), 404, "allocation-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
        Assert.Equal("10.63.5.77", (string?)problem["ip_address"]);
    }

    [Fact]
    public async Task ReadAndAllocate_UnknownSubnet_Return404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        foreach (var response in new[]
        {
            await api.Client.GetAsync($"/v1/subnets/{id}/allocations"),
            await api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.0.0.5"),
            await PostAllocationAsync(id, new { }),
            await PostAllocationAsync(id, new { ip_address = "10.0.0.5" }),
            await PostAllocationAsync(id, new { count = 2 }),
        })
        {
            var problem = await ProblemAsync(response, 404, "subnet-not-found");
            Assert.Equal(id, (string?)problem["subnet_id"]);
        }
    }

    // ---- release ----

    [Fact]
    public async Task Release_Allocated_Returns204ThenSecondReleaseIs404()
    {
        var id = await SubnetAsync(new { cidr = "10.64.0.0/24" });
        await api.AllocateAsync(id, new { ip_address = "10.64.0.10" });
        await api.AllocateAsync(id, new { ip_address = "10.64.0.11" });

        var response = await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.0.10");

        AssertStatus(response, HttpStatusCode.NoContent);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["10.64.0.11"], await api.AllocatedAddressesAsync(id));
        Assert.Equal("1", Usage(await api.GetSubnetAsync(id), "allocated"));
        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.64.0.10"), 404, "allocation-not-found");

        var again = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.0.10"), 404, "allocation-not-found");
        Assert.Equal(id, (string?)again["subnet_id"]);
        Assert.Equal("10.64.0.10", (string?)again["ip_address"]);
        Assert.Equal(["10.64.0.11"], await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Release_NeverAllocated_Returns404AllocationNotFound()
    {
        var id = await SubnetAsync(new { cidr = "10.64.1.0/24" });

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.1.99"), 404, "allocation-not-found");

        Assert.Equal("10.64.1.99", (string?)problem["ip_address"]);
        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Release_UnknownSubnet_Returns404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.0.0.5"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Release_NonCanonicalIpv6InPath_ReleasesTheAddress()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:64::/64" });
        await api.AllocateAsync(id, new { ip_address = "2001:db8:64::5" });

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/2001:DB8:64:0:0::0005"), HttpStatusCode.NoContent);

        Assert.Empty(await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Release_ThenSpecificAgain_Succeeds()
    {
        var id = await SubnetAsync(new { cidr = "10.64.2.0/24" });
        await api.AllocateAsync(id, new { ip_address = "10.64.2.10", owner = "old" });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.2.10"), HttpStatusCode.NoContent);

        var again = await api.AllocateAsync(id, new { ip_address = "10.64.2.10", owner = "new" });

        Assert.Equal("new", (string?)again["owner"]);
    }

    // ---- idempotency ----

    [Fact]
    public async Task Allocate_SameIdempotencyKeyAndBody_ReturnsOriginalAndAllocatesOnce()
    {
        var id = await SubnetAsync(new { cidr = "10.65.0.0/24" });
        var key = Guid.NewGuid().ToString();
        var body = new { owner = "retrying-client" };

        var first = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, body), 201);
        var second = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, body), 201);
        var third = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, body), 201);

        Assert.Equal(Ip(first), Ip(second));
        Assert.Equal(Ip(first), Ip(third));
        Assert.Equal((string?)first["created_at"], (string?)second["created_at"]);
        Assert.Equal([Ip(first)], await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_SameIdempotencyKeyForBulk_ReturnsTheSameItems()
    {
        var id = await SubnetAsync(new { cidr = "10.65.1.0/24" });
        var key = Guid.NewGuid().ToString();

        var first = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, new { count = 4 }), 201);
        var second = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, new { count = 4 }), 201);

        Assert.Equal(Items(first), Items(second));
        Assert.Equal(Items(first).OrderBy(V4), await api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_DifferentIdempotencyKeys_AllocateSeparately()
    {
        var id = await SubnetAsync(new { cidr = "10.65.2.0/24" });

        var first = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, Guid.NewGuid().ToString(), new { }), 201);
        var second = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, Guid.NewGuid().ToString(), new { }), 201);

        Assert.NotEqual(Ip(first), Ip(second));
        Assert.Equal(2, (await api.AllocatedAddressesAsync(id)).Count);
    }

    [Theory]
    [InlineData("""{"owner": "b"}""")]
    [InlineData("""{"owner": "a", "strategy": "next"}""")]
    [InlineData("""{"owner": "a", "count": 2}""")]
    [InlineData("""{"owner": "a", "ip_address": "10.65.3.50"}""")]
    public async Task Allocate_SameIdempotencyKeyDifferentBody_Returns422AndChangesNothing(string otherBody)
    {
        var id = await SubnetAsync(new { cidr = "10.65.3.0/24" });
        var key = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, new { owner = "a" }), 201);
        var before = await api.SnapshotAsync(id);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/subnets/{id}/allocations")
        {
            Content = new StringContent(otherBody, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        var problem = await ProblemAsync(await api.Client.SendAsync(request), 422, "idempotency-key-mismatch");

        Assert.Equal(key, (string?)problem["idempotency_key"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SameIdempotencyKeyOnAnotherSubnet_Returns422()
    {
        var first = await SubnetAsync(new { cidr = "10.65.4.0/24" });
        var second = await SubnetAsync(new { cidr = "10.65.5.0/24" });
        var key = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(first, key, new { }), 201);
        var before = await api.SnapshotAsync(first, second);

        var problem = await ProblemAsync(await api.AllocateWithKeyAsync(second, key, new { }), 422, "idempotency-key-mismatch");

        Assert.Equal(key, (string?)problem["idempotency_key"]);
        Assert.Equal(before, await api.SnapshotAsync(first, second));
    }

    [Fact]
    public async Task Allocate_IdempotencyKeyOfFailedRequest_IsNotRemembered()
    {
        var id = await SubnetAsync(new { cidr = "10.65.6.0/30" });
        await api.AllocateAsync(id, new { ip_address = "10.65.6.2" });
        var key = Guid.NewGuid().ToString();
        await ProblemAsync(await api.AllocateWithKeyAsync(id, key, new { }), 409, "pool-exhausted");
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.65.6.2"), HttpStatusCode.NoContent);

        var retried = await IpamServer.ExpectAsync(await api.AllocateWithKeyAsync(id, key, new { }), 201);

        Assert.Equal("10.65.6.2", Ip(retried));
        Assert.Equal(["10.65.6.2"], await api.AllocatedAddressesAsync(id));
    }

    // ---- reservations ----

    [Fact]
    public async Task Allocate_ExpiresAtInPast_Returns400AndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.66.0.0/24" });
        var before = await api.SnapshotAsync(id);

        var past = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture);
        await ValidationProblemAsync(await PostAllocationAsync(id, new { expires_at = past }));
        await ValidationProblemAsync(await PostAllocationAsync(id, new { ip_address = "10.66.0.9", expires_at = past }));

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_ExpiresAtInFuture_ReturnedAsUtc()
    {
        var id = await SubnetAsync(new { cidr = "10.66.1.0/24" });
        var expires = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var allocation = await api.AllocateAsync(id, new { ip_address = "10.66.1.9", expires_at = "2099-01-02T05:04:05+02:00" });

        var text = (string)allocation["expires_at"]!;
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.Equal(expires, DateTimeOffset.Parse(text, CultureInfo.InvariantCulture));
        var shown = await api.GetJsonAsync($"/v1/subnets/{id}/allocations/10.66.1.9");
        Assert.Equal(expires, DateTimeOffset.Parse((string)shown["expires_at"]!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Allocate_ExpiredReservation_AddressBecomesAllocatableAgain()
    {
        var id = await SubnetAsync(new { cidr = "10.66.2.0/30" });
        var reserved = await api.AllocateAsync(id, new { expires_at = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture) });
        Assert.Equal("10.66.2.2", Ip(reserved));
        await ProblemAsync(await PostAllocationAsync(id, new { }), 409, "pool-exhausted");

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var again = await api.AllocateAsync(id, new { owner = "after-expiry" });
        Assert.Equal("10.66.2.2", Ip(again));
        Assert.Null(again["expires_at"]);
        var listed = Assert.Single(await api.AllocationsAsync(id));
        Assert.Equal("after-expiry", (string?)listed["owner"]);
    }
}

public sealed class AllocationsApiTestsOnSqlite(SqliteApiFixture api) : AllocationsApiTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AllocationsApiTestsOnPostgres(PostgresApiFixture api) : AllocationsApiTests(api), IClassFixture<PostgresApiFixture>;
