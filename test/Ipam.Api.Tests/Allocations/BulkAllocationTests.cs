using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>Bulk allocation with <c>count</c>: all or nothing, up to the maximum count.</summary>
public abstract class BulkAllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_Count_ReturnsItemsWithThatManyDistinctPoolAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.60.0.0/24" });

        var bulk = await Api.AllocateAsync(id, new { count = 25, owner = "batch" });

        var items = bulk["items"]!.AsArray();
        Assert.Equal(25, items.Count);
        var ips = Items(bulk);
        Assert.Equal(25, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.InRange(V4(ip), V4("10.60.0.2"), V4("10.60.0.254")));
        Assert.All(items, a => Assert.Equal("batch", (string?)a!["owner"]));
        Assert.All(items, a => Assert.Equal(id, (string?)a!["subnet_id"]));
        Assert.Equal(ips.Order(), (await Api.AllocatedAddressesAsync(id)).Order());
        Assert.Equal("25", Usage(await Api.GetSubnetAsync(id), "allocated"));
    }

    [Fact]
    public async Task Allocate_CountOne_ReturnsItemsList()
    {
        var id = await SubnetAsync(new { cidr = "10.60.1.0/24" });

        var bulk = await Api.AllocateAsync(id, new { count = 1 });

        Assert.Single(bulk["items"]!.AsArray());
    }

    [Fact]
    public async Task Allocate_CountWithNext_ReturnsTheLowestFreeAddresses()
    {
        var id = await SubnetAsync(new { cidr = "10.60.2.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.60.2.4" });

        var bulk = await Api.AllocateAsync(id, new { count = 5, strategy = "next" });

        Assert.Equal(["10.60.2.2", "10.60.2.3", "10.60.2.5", "10.60.2.6", "10.60.2.7"], Items(bulk).OrderBy(V4));
    }

    [Fact]
    public async Task Allocate_CountTakesEveryFreeAddress_ThenExhausted()
    {
        var id = await SubnetAsync(new { cidr = "10.60.3.0/28" });

        var bulk = await Api.AllocateAsync(id, new { count = 13 });

        Assert.Equal(V4Range("10.60.3", 2, 14), Items(bulk).OrderBy(V4));
        var subnet = await Api.GetSubnetAsync(id);
        Assert.Equal("13", Usage(subnet, "allocated"));
        Assert.Equal("0", Usage(subnet, "free"));
    }

    /// <summary>neutron-behaviour.md items 54 and 55: a bulk request over several pools of an IPv6 subnet, then one more than is left.</summary>
    [Fact]
    public async Task Allocate_CountAcrossIpv6Pools_AllOrNothingWhenOneShort()
    {
        var id = await SubnetAsync(new
        {
            cidr = "fd00:54::/124",
            allocation_pools = new[] { new { start = "fd00:54::2", end = "fd00:54::5" }, new { start = "fd00:54::a", end = "fd00:54::b" } },
        });

        var taken = (await Api.AllocateAsync(id, new { count = 5 }))["items"]!.AsArray().Select(a => (string)a!["ip_address"]!).ToList();
        var before = await Api.SnapshotAsync(id);
        var problem = await ProblemAsync(await PostAllocationAsync(id, new { count = 2 }), 409, "pool-exhausted");

        Assert.Equal(5, taken.Distinct().Count());
        Assert.Contains(taken, ip => ip is "fd00:54::a" or "fd00:54::b");
        Assert.Equal(("not-enough-free", 1, 6, 5), ((string?)problem["reason"], (int)problem["free"]!, (int)problem["pool_size"]!, (int)problem["allocated"]!));
        Assert.Equal(before, await Api.SnapshotAsync(id));
        var last = Ip(await Api.AllocateAsync(id, new { }));
        Assert.DoesNotContain(last, taken);
        Assert.Equal("all-allocated", (string?)(await ProblemAsync(await PostAllocationAsync(id, new { count = 1 }), 409, "pool-exhausted"))["reason"]);
    }

    [Fact]
    public async Task Allocate_CountLargerThanFree_Returns409PoolExhaustedAndAllocatesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.60.4.0/28" });
        await Api.AllocateAsync(id, new { count = 3 });
        await Api.AllocateAsync(id, new { ip_address = "10.60.4.1", allow_gateway = true }); // outside the pool
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { count = 11 }), 409, "pool-exhausted");

        Assert.Equal(id, (string?)problem["subnet_id"]);
        Assert.Equal(11, (int)problem["requested"]!);
        Assert.Equal(10, (int)problem["free"]!);
        Assert.Equal(13, (int)problem["pool_size"]!);
        Assert.Equal(3, (int)problem["allocated"]!);
        Assert.Equal("not-enough-free", (string?)problem["reason"]);
        Assert.Equal("11 addresses were requested (all or nothing), but only 10 of the 13 pool addresses are free.", (string?)problem["detail"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));

        // Exactly the free count still succeeds afterwards.
        Assert.Equal(10, (await Api.AllocateAsync(id, new { count = 10, strategy = "next" }))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Allocate_CountLargerThanAOneAddressPool_DetailSpeaksOfOneAddress()
    {
        // A /30 has one pool address: the network, the gateway and the broadcast address are not in the pool.
        var id = await SubnetAsync(new { cidr = "10.60.9.0/30" });

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { count = 2 }), 409, "pool-exhausted");

        Assert.Equal("2 addresses were requested (all or nothing), but only 1 of the 1 pool address is free.", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Allocate_CountWithNextLargerThanFree_Returns409AndAllocatesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.60.5.0/29" });
        var before = await Api.SnapshotAsync(id);

        var problem = await ProblemAsync(await PostAllocationAsync(id, new { count = 6, strategy = "next" }), 409, "pool-exhausted");

        Assert.Equal(6, (int)problem["requested"]!);
        Assert.Equal(5, (int)problem["free"]!);
        Assert.Equal(5, (int)problem["pool_size"]!);
        Assert.Equal(0, (int)problem["allocated"]!);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_CountMaximum_Accepted()
    {
        var id = await SubnetAsync(new { cidr = "10.61.0.0/18" });

        var bulk = await Api.AllocateAsync(id, new { count = 10_000 });

        Assert.Equal(10_000, Items(bulk).Distinct().Count());
        Assert.Equal("10000", Usage(await Api.GetSubnetAsync(id), "allocated"));
    }
}

public sealed class BulkAllocationTestsOnSqlite(SqliteApiFixture api) : BulkAllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class BulkAllocationTestsOnPostgres(PostgresApiFixture api) : BulkAllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class BulkAllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : BulkAllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
