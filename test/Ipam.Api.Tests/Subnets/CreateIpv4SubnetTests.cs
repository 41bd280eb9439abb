using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// Creating IPv4 subnets: default and explicit gateways and pools (the rules of API.md, Neutron's IPAM),
/// /30 to /32, and overlapping CIDRs.
/// </summary>
public abstract class CreateIpv4SubnetTests(ApiFixture api)
{
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

    /// <summary>A router at one end of a point-to-point link (Neutron refuses a gateway on the network address).</summary>
    [Fact]
    public async Task Create_Slash31Or32WithAGateway_TheGatewayLeavesThePool()
    {
        var link = await api.CreateSubnetAsync(new { cidr = "192.0.2.20/31", gateway_ip = "192.0.2.20" });
        var host = await api.CreateSubnetAsync(new { cidr = "192.0.2.30/32", gateway_ip = "192.0.2.30" });

        Assert.Equal("192.0.2.20", (string?)link["gateway_ip"]);
        Assert.Equal(["192.0.2.21-192.0.2.21"], PoolsOf(link));
        Assert.Equal("192.0.2.30", (string?)host["gateway_ip"]);
        Assert.Empty(PoolsOf(host));
    }

    [Fact]
    public async Task Create_Slash30_GatewayFirstHostAndSingleAddressPool()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "192.0.2.4/30" });

        Assert.Equal("192.0.2.5", (string?)subnet["gateway_ip"]);
        Assert.Equal(["192.0.2.6-192.0.2.6"], PoolsOf(subnet));
        Assert.Equal("1", Usage(subnet, "total"));
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

public sealed class CreateIpv4SubnetTestsOnSqlite(SqliteApiFixture api) : CreateIpv4SubnetTests(api), IClassFixture<SqliteApiFixture>;

public sealed class CreateIpv4SubnetTestsOnPostgres(PostgresApiFixture api) : CreateIpv4SubnetTests(api), IClassFixture<PostgresApiFixture>;

public sealed class CreateIpv4SubnetTestsOnThreeInstances(ThreeInstancesApiFixture api) : CreateIpv4SubnetTests(api), IClassFixture<ThreeInstancesApiFixture>;
