using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Api.Tests.Tenancy;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// <c>GET /v1/subnets/{id}/map</c>: cells with their states for small ranges, blocks whose counts add up to the
/// subnet's usage for large ones (IPv6 /64 included), bounded input and the tenancy rules of reading a subnet.
/// </summary>
public abstract class SubnetMapTests(ApiFixture api) : TenancyTestBase(api)
{
    [Fact]
    public async Task Cells_Slash28_EveryAddressWithItsState()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.90.0.0/28", allocation_pools = new[] { new { start = "10.90.0.4", end = "10.90.0.10" } } }));
        await Api.AllocateAsync(subnet, new { ip_address = "10.90.0.5", owner = "vm-5", description = "web" });
        await Api.AllocateAsync(subnet, new { ip_address = "10.90.0.12", owner = "outside" });

        var map = await Api.GetJsonAsync($"/v1/subnets/{subnet}/map");

        Assert.Equal("10.90.0.0/28", (string?)map["within"]);
        Assert.Null(map["blocks"]);
        var cells = map["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"10.90.0.{i}"), cells.Select(c => (string)c["ip_address"]!));
        string[] states =
        [
            "network", "gateway", "outside-pools", "outside-pools", "free", "allocated", "free", "free",
            "free", "free", "free", "outside-pools", "allocated", "outside-pools", "outside-pools", "broadcast",
        ];
        Assert.Equal(states, cells.Select(c => (string)c["state"]!));
        Assert.Equal("vm-5", (string?)cells[5]["owner"]);
        Assert.Equal("web", (string?)cells[5]["description"]);
        Assert.NotNull(cells[5]["created_at"]);
        Assert.Equal("outside", (string?)cells[12]["owner"]);
        Assert.Null(cells[4]["owner"]);
    }

    [Fact]
    public async Task Blocks_Slash16_AddUpToTheUsageAndFollowAllocationsAndReleases()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.91.0.0/16", allocation_pools = new[] { new { start = "10.91.0.10", end = "10.91.3.255" } } }));
        await Api.AllocateAsync(subnet, new { count = 300, strategy = "next", owner = "bulk" });
        await Api.AllocateAsync(subnet, new { ip_address = "10.91.0.3" });
        await Api.AllocateAsync(subnet, new { ip_address = "10.91.200.1" });

        var map = await Api.GetJsonAsync($"/v1/subnets/{subnet}/map");

        var blocks = Blocks(map);
        Assert.Equal(24, (int)map["block_prefixlen"]!);
        Assert.Equal(256, blocks.Count);
        Assert.Equal(Block("10.91.0.0/24", 256, 246, 247, 0), blocks[0]);
        Assert.Equal(Block("10.91.1.0/24", 256, 256, 54, 202), blocks[1]);
        Assert.Equal(Block("10.91.2.0/24", 256, 256, 0, 256), blocks[2]);
        Assert.Equal(Block("10.91.200.0/24", 256, 0, 1, 0), blocks[200]);
        var usage = (await Api.GetSubnetAsync(subnet))["usage"]!;
        Assert.Equal((long)usage["total"]!, blocks.Sum(b => b.InPools));
        Assert.Equal((long)usage["free"]!, blocks.Sum(b => b.Free));
        Assert.Equal((long)usage["allocated"]! + (long)usage["outside_pools"]!, blocks.Sum(b => b.Allocated));

        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{subnet}/allocations/10.91.1.0"), HttpStatusCode.NoContent);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{subnet}/allocations/10.91.200.1"), HttpStatusCode.NoContent);
        var after = Blocks(await Api.GetJsonAsync($"/v1/subnets/{subnet}/map?within=10.91.0.0/20&blocks=16"));

        Assert.Equal(16, after.Count);
        Assert.Equal(Block("10.91.1.0/24", 256, 256, 53, 203), after[1]);
        Assert.Equal(0, Blocks(await Api.GetJsonAsync($"/v1/subnets/{subnet}/map?within=10.91.200.0/21&blocks=8")).Sum(b => b.Allocated));
    }

    [Fact]
    public async Task Blocks_ReleasedAddressCoolingDown_CountsAsFreeNotAllocated()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.92.0.0/22", reuse_cooldown_seconds = 3600 }));
        await Api.AllocateAsync(subnet, new { count = 3, strategy = "next" });
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{subnet}/allocations/10.92.0.3"), HttpStatusCode.NoContent);

        var blocks = Blocks(await Api.GetJsonAsync($"/v1/subnets/{subnet}/map?blocks=4"));

        Assert.Equal(Block("10.92.0.0/24", 256, 254, 2, 252), blocks[0]);
        Assert.Equal(Block("10.92.3.0/24", 256, 255, 0, 255), blocks[3]);
    }

    [Fact]
    public async Task Blocks_Ipv6Slash64_ExactCountsOfEachSlash72AndCellsDeepInside()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "2001:db8:92::/64" }));
        await Api.AllocateAsync(subnet, new { count = 3, strategy = "next", owner = "v6" });
        await Api.AllocateAsync(subnet, new { ip_address = "2001:db8:92:0:ff00::7", owner = "far" });

        var map = await Api.GetJsonAsync($"/v1/subnets/{subnet}/map");

        Assert.Equal(72, (int)map["block_prefixlen"]!);
        var blocks = map["blocks"]!.AsArray();
        Assert.Equal(256, blocks.Count);
        Assert.Equal("2001:db8:92::/72", (string?)blocks[0]!["cidr"]);
        Assert.Equal("72057594037927936", blocks[0]!["total"]!.ToJsonString());
        Assert.Equal("72057594037927934", blocks[0]!["in_pools"]!.ToJsonString());
        Assert.Equal("3", blocks[0]!["allocated"]!.ToJsonString());
        Assert.Equal("72057594037927931", blocks[0]!["free"]!.ToJsonString());
        Assert.Equal("1", blocks[255]!["allocated"]!.ToJsonString());
        Assert.Equal("2001:db8:92:0:ff00::/72", (string?)blocks[255]!["cidr"]);

        var cells = (await Api.GetJsonAsync($"/v1/subnets/{subnet}/map?within=2001:db8:92::/120"))["cells"]!.AsArray();
        Assert.Equal(256, cells.Count);
        Assert.Equal(["network", "gateway", "allocated", "allocated", "allocated", "free"], cells.Take(6).Select(c => (string)c!["state"]!));
        Assert.Equal("v6", (string?)cells[2]!["owner"]);
    }

    /// <summary>The whole IPv6 space, 2^128 addresses: counted in blocks; one block would have to hold 2^128, so it is refused.</summary>
    [Fact]
    public async Task Blocks_WholeIpv6Space_CountedInBlocksAndOneBlockRefused()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "::/0" }));
        try
        {
            await Api.AllocateAsync(subnet, new { ip_address = "8000::5", owner = "far" });

            var map = await Api.GetJsonAsync($"/v1/subnets/{subnet}/map?blocks=2");

            Assert.Equal(1, (int)map["block_prefixlen"]!);
            var blocks = map["blocks"]!.AsArray();
            Assert.Equal(["::/1", "8000::/1"], blocks.Select(b => (string)b!["cidr"]!));
            Assert.Equal(["170141183460469231731687303715884105728", "170141183460469231731687303715884105728"], blocks.Select(b => b!["total"]!.ToJsonString()));
            Assert.Equal(["0", "1"], blocks.Select(b => b!["allocated"]!.ToJsonString()));
            Assert.Equal(256, (await Api.GetJsonAsync($"/v1/subnets/{subnet}/map"))["blocks"]!.AsArray().Count);
            var problem = await IpamServer.ExpectProblemAsync(await Api.Client.GetAsync($"/v1/subnets/{subnet}/map?blocks=1"), 400, "invalid-request");
            Assert.True(problem["errors"]!.AsObject().ContainsKey("blocks"), problem.ToJsonString());
        }
        finally
        {
            AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{subnet}?force=true"), HttpStatusCode.NoContent);
        }
    }

    [Theory]
    [InlineData("within=10.93.0.0/23", "within")]
    [InlineData("within=10.93.0.5/24", "within")]
    [InlineData("within=not-a-cidr", "within")]
    [InlineData("within=2001:db8::/64", "within")]
    [InlineData("blocks=3", "blocks")]
    [InlineData("blocks=0", "blocks")]
    [InlineData("blocks=2048", "blocks")]
    [InlineData("blocks=-4", "blocks")]
    [InlineData("blocks=many", "blocks")]
    public async Task Map_BadWithinOrBlocks_InvalidRequestNamingTheField(string parameters, string field)
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.93.0.0/24" }));

        var problem = await IpamServer.ExpectProblemAsync(await Api.Client.GetAsync($"/v1/subnets/{subnet}/map?{parameters}"), 400, "invalid-request");

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Map_AnotherTenantsSubnet_AnswersAsIfMissing()
    {
        var tenant = NewTenant();
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.94.0.0/24", tenant_id = tenant }));
        var member = await MemberAsync(NewTenant());

        await OkAsync((await ReaderAsync(tenant)).GetAsync($"/v1/subnets/{subnet}/map"));
        await NotFoundAsync((await ReaderAsync(NewTenant())).GetAsync($"/v1/subnets/{subnet}/map?within=10.94.0.0/25"), "subnet-not-found");
        await SameAsMissingAsync(() => member.GetAsync($"/v1/subnets/{subnet}/map"), "subnet-not-found",
            async () => AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{subnet}?force=true"), HttpStatusCode.NoContent));
    }

    private static List<MapBlock> Blocks(JsonObject map) =>
        [.. map["blocks"]!.AsArray().Select(b => Block((string)b!["cidr"]!, (long)b["total"]!, (long)b["in_pools"]!, (long)b["allocated"]!, (long)b["free"]!))];

    private static MapBlock Block(string cidr, long total, long inPools, long allocated, long free) => new(cidr, total, inPools, allocated, free);

    private sealed record MapBlock(string Cidr, long Total, long InPools, long Allocated, long Free);
}

public sealed class SubnetMapTestsOnSqlite(SqliteApiFixture api) : SubnetMapTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetMapTestsOnPostgres(PostgresApiFixture api) : SubnetMapTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetMapTestsOnThreeInstances(ThreeInstancesApiFixture api) : SubnetMapTests(api), IClassFixture<ThreeInstancesApiFixture>;
