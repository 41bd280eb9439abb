using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests;

/// <summary>
/// <c>/v1/subnets</c>: creation with the default and explicit gateways and pools, canonical forms, listing,
/// showing, updating and deleting. Expected pools and counts follow the rules of API.md (Neutron's IPAM).
/// </summary>
public abstract class SubnetsApiTests(ApiFixture api)
{
    private static readonly string TwoTo64Minus2 = ((UInt128.One << 64) - 2).ToString();
    private static readonly string TwoTo64Minus1 = ((UInt128.One << 64) - 1).ToString();

    private static string NewTenant() => $"tenant-{Guid.NewGuid():N}";

    // ---- create: IPv4 ----

    [Fact]
    public async Task Create_Ipv4Slash24Defaults_GatewayFirstHostAndPoolExcludesNetworkBroadcastGateway()
    {
        var tenant = NewTenant();
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.0.0.0/24", name = "web", tenant_id = tenant });

        Assert.True(Guid.TryParse(Id(subnet), out _));
        Assert.Equal("10.0.0.0/24", (string?)subnet["cidr"]);
        Assert.Equal(4, (int)subnet["ip_version"]!);
        Assert.Equal("10.0.0.1", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.0.0.2-10.0.0.254"], PoolsOf(subnet));
        Assert.Equal("web", (string?)subnet["name"]);
        Assert.Equal(tenant, (string?)subnet["tenant_id"]);
        Assert.Null(subnet["subnet_pool_id"]);
        Assert.Null(subnet["ipv6_address_mode"]);
        // 256 addresses minus network, broadcast and gateway.
        Assert.Equal("253", Usage(subnet, "total"));
        Assert.Equal("0", Usage(subnet, "allocated"));
        Assert.Equal("253", Usage(subnet, "free"));
        Assert.Equal("0", Usage(subnet, "outside_pools"));
    }

    [Fact]
    public async Task Create_Returns201WithLocationOfTheNewSubnet()
    {
        var response = await api.PostAsync("/v1/subnets", new { cidr = "10.0.1.0/24" });
        var created = await IpamServer.ExpectAsync(response, 201);

        var location = response.Headers.Location;
        Assert.NotNull(location);
        var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;
        Assert.Equal($"/v1/subnets/{Id(created)}", path);
        var shown = await api.GetJsonAsync(path);
        Assert.True(JsonNode.DeepEquals(created, shown), $"{created.ToJsonString()} != {shown.ToJsonString()}");
    }

    [Fact]
    public async Task Create_GatewayInTheMiddle_PoolSplitAroundGateway()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.0.2.0/24", gateway_ip = "10.0.2.128" });

        Assert.Equal("10.0.2.128", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.0.2.1-10.0.2.127", "10.0.2.129-10.0.2.254"], PoolsOf(subnet));
        Assert.Equal("253", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Slash29GatewayInTheMiddle_PoolSplitAroundGateway()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.0.3.0/29", gateway_ip = "10.0.3.4" });

        Assert.Equal(["10.0.3.1-10.0.3.3", "10.0.3.5-10.0.3.6"], PoolsOf(subnet));
        Assert.Equal("5", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_GatewayLastUsableAddress_PoolEndsBeforeIt()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.0.4.0/24", gateway_ip = "10.0.4.254" });

        Assert.Equal(["10.0.4.1-10.0.4.253"], PoolsOf(subnet));
        Assert.Equal("253", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_GatewayNull_NoGatewayAndPoolCoversAllHosts()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.0.5.0/24", gateway_ip = (string?)null });

        Assert.True(subnet.ContainsKey("gateway_ip"));
        Assert.Null(subnet["gateway_ip"]);
        Assert.Equal(["10.0.5.1-10.0.5.254"], PoolsOf(subnet));
        Assert.Equal("254", Usage(subnet, "total"));
        Assert.Null((await api.GetSubnetAsync(Id(subnet)))["gateway_ip"]);
    }

    [Fact]
    public async Task Create_GatewayOutsideCidr_AcceptedAndPoolIsWholeUsableRange()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.1.4.0/29", gateway_ip = "10.9.9.9" });

        Assert.Equal("10.9.9.9", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.1.4.1-10.1.4.6"], PoolsOf(subnet));
        Assert.Equal("6", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_CustomPoolsOutOfOrder_StoredSortedAndCounted()
    {
        var subnet = await api.CreateSubnetAsync(new
        {
            cidr = "10.0.6.0/24",
            allocation_pools = new[]
            {
                new { start = "10.0.6.200", end = "10.0.6.250" },
                new { start = "10.0.6.100", end = "10.0.6.150" },
                new { start = "10.0.6.9", end = "10.0.6.9" },
            },
        });

        Assert.Equal("10.0.6.1", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.0.6.9-10.0.6.9", "10.0.6.100-10.0.6.150", "10.0.6.200-10.0.6.250"], PoolsOf(subnet));
        Assert.Equal("103", Usage(subnet, "total")); // 1 + 51 + 51
        Assert.Equal(PoolsOf(subnet), PoolsOf(await api.GetSubnetAsync(Id(subnet))));
    }

    [Fact]
    public async Task Create_AdjacentCustomPools_Accepted()
    {
        var subnet = await api.CreateSubnetAsync(new
        {
            cidr = "10.0.7.0/24",
            allocation_pools = new[] { new { start = "10.0.7.21", end = "10.0.7.30" }, new { start = "10.0.7.10", end = "10.0.7.20" } },
        });

        Assert.Equal(["10.0.7.10-10.0.7.20", "10.0.7.21-10.0.7.30"], PoolsOf(subnet));
        Assert.Equal("21", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Slash31_NoGatewayAndBothAddressesInPool()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "192.0.2.0/31" });

        Assert.Null(subnet["gateway_ip"]);
        Assert.Equal(["192.0.2.0-192.0.2.1"], PoolsOf(subnet));
        Assert.Equal("2", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Slash32_NoGatewayAndTheAddressIsThePool()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "192.0.2.9/32" });

        Assert.Equal("192.0.2.9/32", (string?)subnet["cidr"]);
        Assert.Null(subnet["gateway_ip"]);
        Assert.Equal(["192.0.2.9-192.0.2.9"], PoolsOf(subnet));
        Assert.Equal("1", Usage(subnet, "total"));
    }

    [Fact]
    public async Task Create_Slash30_GatewayFirstHostAndSingleAddressPool()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "192.0.2.4/30" });

        Assert.Equal("192.0.2.5", (string?)subnet["gateway_ip"]);
        Assert.Equal(["192.0.2.6-192.0.2.6"], PoolsOf(subnet));
        Assert.Equal("1", Usage(subnet, "total"));
    }

    // ---- create: IPv6 ----

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

    // ---- list ----

    [Fact]
    public async Task List_TenantFilter_ReturnsOnlyThatTenantsSubnets()
    {
        var tenant = NewTenant();
        var other = NewTenant();
        var mine = new[]
        {
            Id(await api.CreateSubnetAsync(new { cidr = "10.10.0.0/24", tenant_id = tenant })),
            Id(await api.CreateSubnetAsync(new { cidr = "10.10.1.0/24", tenant_id = tenant })),
        };
        await api.CreateSubnetAsync(new { cidr = "10.10.2.0/24", tenant_id = other });

        var listed = await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}");

        Assert.Equal(mine.Order(), listed.Select(Id).Order());
        Assert.All(listed, s => Assert.Equal(tenant, (string?)s["tenant_id"]));
    }

    [Fact]
    public async Task List_IpVersionFilter_ReturnsOnlyThatFamily()
    {
        var tenant = NewTenant();
        var v4 = new[]
        {
            Id(await api.CreateSubnetAsync(new { cidr = "10.11.0.0/24", tenant_id = tenant })),
            Id(await api.CreateSubnetAsync(new { cidr = "10.11.1.0/24", tenant_id = tenant })),
        };
        var v6 = Id(await api.CreateSubnetAsync(new { cidr = "2001:db8:11::/64", tenant_id = tenant }));

        var listed4 = await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}&ip_version=4");
        var listed6 = await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}&ip_version=6");

        Assert.Equal(v4.Order(), listed4.Select(Id).Order());
        Assert.All(listed4, s => Assert.Equal(4, (int)s["ip_version"]!));
        Assert.Equal([v6], listed6.Select(Id));
        Assert.All(listed6, s => Assert.Equal(6, (int)s["ip_version"]!));
    }

    [Fact]
    public async Task List_Items_IncludeUsage()
    {
        var tenant = NewTenant();
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.12.0.0/28", tenant_id = tenant });
        await api.AllocateAsync(Id(subnet), new { count = 3 });

        var listed = Assert.Single(await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}"));

        Assert.Equal("13", Usage(listed, "total"));
        Assert.Equal("3", Usage(listed, "allocated"));
        Assert.Equal("10", Usage(listed, "free"));
    }

    [Theory]
    [InlineData(5, 2)]
    [InlineData(4, 2)]
    [InlineData(3, 1)]
    [InlineData(3, 5)]
    public async Task List_Pagination_PagesDisjointCoverAllAndLastNextIsNull(int subnets, int limit)
    {
        var tenant = NewTenant();
        var created = new List<string>();
        for (var i = 0; i < subnets; i++)
        {
            created.Add(Id(await api.CreateSubnetAsync(new { cidr = $"10.13.{i}.0/24", tenant_id = tenant })));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetJsonAsync($"/v1/subnets?tenant_id={tenant}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, limit);
            seen.AddRange(items.Select(s => Id(s!.AsObject())));
            cursor = (string?)page["next"];
            Assert.True(page.ContainsKey("next"));
            pages++;
            Assert.True(pages <= subnets, "pagination does not end");
        }
        while (cursor is not null);

        Assert.Equal((subnets + limit - 1) / limit, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(created.Order(), seen.Order());
    }

    [Fact]
    public async Task List_NoMatches_EmptyItemsAndNullNext()
    {
        var page = await api.GetJsonAsync($"/v1/subnets?tenant_id={NewTenant()}");

        Assert.Empty(page["items"]!.AsArray());
        Assert.True(page.ContainsKey("next"));
        Assert.Null(page["next"]);
    }

    // ---- show ----

    [Fact]
    public async Task Get_Existing_ReturnsSubnetWithCurrentUsage()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.14.0.0/24", name = "shown" });
        var id = Id(subnet);
        await api.AllocateAsync(id, new { ip_address = "10.14.0.10" });
        await api.AllocateAsync(id, new { ip_address = "10.14.0.11" });

        var shown = await api.GetSubnetAsync(id);

        Assert.Equal(id, Id(shown));
        Assert.Equal("10.14.0.0/24", (string?)shown["cidr"]);
        Assert.Equal("shown", (string?)shown["name"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(shown));
        Assert.Equal("253", Usage(shown, "total"));
        Assert.Equal("2", Usage(shown, "allocated"));
        Assert.Equal("251", Usage(shown, "free"));
        Assert.Equal("0", Usage(shown, "outside_pools"));
    }

    [Fact]
    public async Task Get_UnknownId_Returns404SubnetNotFoundWithId()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Update_UnknownId_Returns404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { name = "x" }), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Delete_UnknownId_Returns404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    // ---- update ----

    [Fact]
    public async Task Update_Name_ChangesOnlyTheName()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.20.0.0/24", name = "before" });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new { name = "after" }), 200);

        Assert.Equal("after", (string?)updated["name"]);
        Assert.Equal("after", (string?)(await api.GetSubnetAsync(id))["name"]);
        Assert.Equal((string?)subnet["gateway_ip"], (string?)updated["gateway_ip"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(updated));
        Assert.Equal((string?)subnet["cidr"], (string?)updated["cidr"]);
    }

    [Fact]
    public async Task Update_NameNull_ClearsTheName()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.1.0/24", name = "temporary" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": null}"""), 200);

        Assert.Null(updated["name"]);
        Assert.Null((await api.GetSubnetAsync(id))["name"]);
    }

    [Fact]
    public async Task Update_GatewayToFreeAddressOutsidePools_Accepted()
    {
        var subnet = await api.CreateSubnetAsync(new
        {
            cidr = "10.20.2.0/24",
            allocation_pools = new[] { new { start = "10.20.2.10", end = "10.20.2.20" } },
        });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "10.20.2.100" }), 200);

        Assert.Equal("10.20.2.100", (string?)updated["gateway_ip"]);
        Assert.Equal(["10.20.2.10-10.20.2.20"], PoolsOf(updated));
        Assert.Equal("10.20.2.100", (string?)(await api.GetSubnetAsync(id))["gateway_ip"]);

        // The new gateway is protected, the old one is an ordinary address again.
        await ProblemAsync(await api.PostAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.20.2.100" }), 400, "address-reserved");
        Assert.Equal("10.20.2.1", Ip(await api.AllocateAsync(id, new { ip_address = "10.20.2.1" })));
    }

    [Fact]
    public async Task Update_GatewayOutsideCidr_Accepted()
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.3.0/24",
            allocation_pools = new[] { new { start = "10.20.3.10", end = "10.20.3.20" } },
        }));

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "192.168.77.1" }), 200);

        Assert.Equal("192.168.77.1", (string?)updated["gateway_ip"]);
        Assert.Equal(["10.20.3.10-10.20.3.20"], PoolsOf(updated));
    }

    [Fact]
    public async Task Update_GatewayNull_RemovesGatewayAndKeepsPools()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.20.4.0/24" });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"gateway_ip": null}"""), 200);

        Assert.Null(updated["gateway_ip"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(updated));
        Assert.Null((await api.GetSubnetAsync(id))["gateway_ip"]);
        // Without a gateway, the former gateway address needs no allow_gateway.
        Assert.Equal("10.20.4.1", Ip(await api.AllocateAsync(id, new { ip_address = "10.20.4.1" })));
    }

    [Fact]
    public async Task Update_GatewayToAllocatedAddress_Returns409AddressInUseWithOwnerAndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.5.0/24",
            allocation_pools = new[] { new { start = "10.20.5.10", end = "10.20.5.20" } },
        }));
        await api.AllocateAsync(id, new { ip_address = "10.20.5.50", owner = "port-50" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "10.20.5.50" }), 409, "address-in-use");

        Assert.Equal("10.20.5.50", (string?)problem["ip_address"]);
        Assert.Equal("port-50", (string?)problem["owner"]);
        Assert.Equal(before, await api.SnapshotAsync(id));
        Assert.Equal("10.20.5.1", (string?)(await api.GetSubnetAsync(id))["gateway_ip"]);
    }

    [Theory]
    [InlineData("10.20.6.0")]
    [InlineData("10.20.6.255")]
    public async Task Update_GatewayToNetworkOrBroadcast_Returns400InvalidGatewayAndChangesNothing(string gateway)
    {
        var id = Id(await api.CreateSubnetAsync(new
        {
            cidr = "10.20.6.0/24",
            allocation_pools = new[] { new { start = "10.20.6.10", end = "10.20.6.20" } },
        }));
        var before = await api.SnapshotAsync(id);

        var problem = await ValidationProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = gateway }), "invalid-gateway");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("gateway_ip"));
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_GatewayOfOtherFamily_Returns400InvalidGateway()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.7.0/24", gateway_ip = (string?)null }));
        var before = await api.SnapshotAsync(id);

        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "2001:db8::1" }), "invalid-gateway");

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_GatewayIntoPoolsWithoutChangingPools_Returns400AndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.8.0/24" }));
        var before = await api.SnapshotAsync(id);

        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnets/{id}", new { gateway_ip = "10.20.8.100" }), "invalid-gateway");

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_GatewayAndPoolsTogether_MovesGatewayIntoFormerPoolSpace()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.20.9.0/24" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new
        {
            gateway_ip = "10.20.9.254",
            allocation_pools = new[] { new { start = "10.20.9.1", end = "10.20.9.253" } },
        }), 200);

        Assert.Equal("10.20.9.254", (string?)updated["gateway_ip"]);
        Assert.Equal(["10.20.9.1-10.20.9.253"], PoolsOf(updated));
        Assert.Equal("253", Usage(updated, "total"));
    }

    [Fact]
    public async Task Update_ValidPools_ReplacesPoolsAndUsage()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.21.0.0/24" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new
        {
            allocation_pools = new[] { new { start = "10.21.0.100", end = "10.21.0.109" }, new { start = "10.21.0.20", end = "10.21.0.24" } },
        }), 200);

        Assert.Equal(["10.21.0.20-10.21.0.24", "10.21.0.100-10.21.0.109"], PoolsOf(updated));
        Assert.Equal("15", Usage(updated, "total"));
        Assert.Equal("10.21.0.1", (string?)updated["gateway_ip"]);
        Assert.Equal(PoolsOf(updated), PoolsOf(await api.GetSubnetAsync(id)));
    }

    [Fact]
    public async Task Update_Pools_AutomaticAllocationUsesOnlyTheNewPools()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.21.1.0/24" }));
        await api.AllocateAsync(id, new { strategy = "next" }); // warms any cached free space for the old pools
        await api.PatchAsync($"/v1/subnets/{id}", new { allocation_pools = new[] { new { start = "10.21.1.50", end = "10.21.1.52" } } });

        var picked = (await api.AllocateAsync(id, new { count = 3 }))["items"]!.AsArray().Select(a => Ip(a!.AsObject())).Order();

        Assert.Equal(["10.21.1.50", "10.21.1.51", "10.21.1.52"], picked);
        await ProblemAsync(await api.PostAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
    }

    [Theory]
    [InlineData("outside the CIDR", """[{"start": "10.22.1.5", "end": "10.22.1.10"}]""")]
    [InlineData("partly outside the CIDR", """[{"start": "10.22.0.250", "end": "10.22.1.2"}]""")]
    [InlineData("start after end", """[{"start": "10.22.0.20", "end": "10.22.0.10"}]""")]
    [InlineData("overlapping", """[{"start": "10.22.0.10", "end": "10.22.0.30"}, {"start": "10.22.0.20", "end": "10.22.0.40"}]""")]
    [InlineData("sharing an endpoint", """[{"start": "10.22.0.10", "end": "10.22.0.20"}, {"start": "10.22.0.20", "end": "10.22.0.30"}]""")]
    [InlineData("one inside another", """[{"start": "10.22.0.10", "end": "10.22.0.50"}, {"start": "10.22.0.20", "end": "10.22.0.30"}]""")]
    [InlineData("containing the gateway", """[{"start": "10.22.0.1", "end": "10.22.0.10"}]""")]
    [InlineData("including the network address", """[{"start": "10.22.0.0", "end": "10.22.0.0"}]""")]
    [InlineData("starting at the network address", """[{"start": "10.22.0.0", "end": "10.22.0.10"}]""")]
    [InlineData("including the broadcast address", """[{"start": "10.22.0.250", "end": "10.22.0.255"}]""")]
    [InlineData("IPv6 on an IPv4 subnet", """[{"start": "2001:db8::10", "end": "2001:db8::20"}]""")]
    [InlineData("one good, one bad", """[{"start": "10.22.0.10", "end": "10.22.0.20"}, {"start": "10.22.0.30", "end": "10.22.1.30"}]""")]
    public async Task Update_InvalidPools_Returns400InvalidAllocationPoolsAndChangesNothing(string scenario, string pools)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.22.0.0/24", name = scenario }));
        await api.AllocateAsync(id, new { ip_address = "10.22.0.7" });
        var before = await api.SnapshotAsync(id);

        var problem = await ValidationProblemAsync(
            await api.PatchJsonAsync($"/v1/subnets/{id}", $$"""{"name": "changed", "allocation_pools": {{pools}}}"""), "invalid-allocation-pools");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("allocation_pools"));
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_ShrinkPools_KeepsAllocationsAndCountsThemOutsidePools()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.23.0.0/24" }));
        foreach (var ip in new[] { "10.23.0.5", "10.23.0.55", "10.23.0.100" })
        {
            await api.AllocateAsync(id, new { ip_address = ip });
        }

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnets/{id}", new
        {
            allocation_pools = new[] { new { start = "10.23.0.50", end = "10.23.0.60" } },
        }), 200);

        Assert.Equal("11", Usage(updated, "total"));
        Assert.Equal("1", Usage(updated, "allocated"));
        Assert.Equal("10", Usage(updated, "free"));
        Assert.Equal("2", Usage(updated, "outside_pools"));
        Assert.Equal(["10.23.0.5", "10.23.0.55", "10.23.0.100"], await api.AllocatedAddressesAsync(id));
        var shown = await api.GetSubnetAsync(id);
        Assert.Equal("2", Usage(shown, "outside_pools"));
        Assert.Equal("1", Usage(shown, "allocated"));

        // The lowest free pool address, skipping the kept allocation .55.
        Assert.Equal("10.23.0.50", Ip(await api.AllocateAsync(id, new { strategy = "next" })));
    }

    [Fact]
    public async Task Update_EmptyPools_TotalZero()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.23.1.0/24" }));

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"allocation_pools": []}"""), 200);

        Assert.Empty(PoolsOf(updated));
        Assert.Equal("0", Usage(updated, "total"));
        Assert.Equal("0", Usage(updated, "free"));
        Assert.Empty(PoolsOf(await api.GetSubnetAsync(id)));
    }

    [Fact]
    public async Task Update_EmptyBody_ChangesNothing()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.23.2.0/24", name = "same" });
        var id = Id(subnet);

        var updated = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", "{}"), 200);

        Assert.Equal("same", (string?)updated["name"]);
        Assert.Equal((string?)subnet["gateway_ip"], (string?)updated["gateway_ip"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(updated));
    }

    // ---- delete ----

    [Fact]
    public async Task Delete_EmptySubnet_Returns204ThenNotFound()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.0.0/24" }));

        var response = await api.Client.DeleteAsync($"/v1/subnets/{id}");

        AssertStatus(response, HttpStatusCode.NoContent);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
        Assert.Equal(id, (string?)problem["subnet_id"]);
        await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
        Assert.DoesNotContain(id, (await api.ListAllAsync("/v1/subnets")).Select(Id));
    }

    [Fact]
    public async Task Delete_WithAllocations_Returns409InUseWithReferencesAndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.1.0/24" }));
        await api.AllocateAsync(id, new { ip_address = "10.30.1.10" });
        await api.AllocateAsync(id, new { ip_address = "10.30.1.11" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}"), 409, "in-use");

        var references = Assert.IsType<JsonObject>(problem["references"]);
        Assert.NotEmpty(references);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Delete_ForceWithAllocations_DeletesSubnetAndItsAllocations()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.2.0/24" }));
        await api.AllocateAsync(id, new { count = 3 });
        var other = Id(await api.CreateSubnetAsync(new { cidr = "10.30.2.0/24" }));
        await api.AllocateAsync(other, new { ip_address = "10.30.2.10" });

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations"), 404, "subnet-not-found");
        // The overlapping subnet and its allocation are untouched.
        Assert.Equal(["10.30.2.10"], await api.AllocatedAddressesAsync(other));
    }

    [Fact]
    public async Task Delete_ForceOnEmptySubnet_Returns204()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.3.0/24" }));

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
    }

    [Fact]
    public async Task Delete_AfterReleasingAllAllocations_Returns204()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.4.0/24" }));
        await api.AllocateAsync(id, new { ip_address = "10.30.4.10" });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.30.4.10"), HttpStatusCode.NoContent);

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Create_OverlappingCidrs_BothAcceptedAndIndependent()
    {
        var a = Id(await api.CreateSubnetAsync(new { cidr = "10.31.0.0/24" }));
        var b = Id(await api.CreateSubnetAsync(new { cidr = "10.31.0.0/25" }));

        Assert.NotEqual(a, b);
        Assert.Equal("10.31.0.20", Ip(await api.AllocateAsync(a, new { ip_address = "10.31.0.20" })));
        Assert.Equal("10.31.0.20", Ip(await api.AllocateAsync(b, new { ip_address = "10.31.0.20" })));
    }
}

public sealed class SubnetsApiTestsOnSqlite(SqliteApiFixture api) : SubnetsApiTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetsApiTestsOnPostgres(PostgresApiFixture api) : SubnetsApiTests(api), IClassFixture<PostgresApiFixture>;
