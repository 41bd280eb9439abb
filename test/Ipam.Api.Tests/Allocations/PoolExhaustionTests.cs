using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>The <c>pool-exhausted</c> problem of a full pool and of a subnet without pools.</summary>
public abstract class PoolExhaustionTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_Slash30SecondRequest_Returns409PoolExhaustedWithZeroFree()
    {
        var id = await SubnetAsync(new { cidr = "10.62.0.0/30" });
        Assert.Equal("10.62.0.2", Ip(await Api.AllocateAsync(id)));
        var before = await Api.SnapshotAsync(id);

        foreach (var body in new object[] { new { }, new { strategy = "next" } })
        {
            var problem = await ProblemAsync(await PostAllocationAsync(id, body), 409, "pool-exhausted");

            Assert.Equal(id, (string?)problem["subnet_id"]);
            Assert.Equal(1, (int)problem["requested"]!);
            Assert.Equal(0, (int)problem["free"]!);
            Assert.Equal(1, (int)problem["pool_size"]!);
            Assert.Equal(1, (int)problem["allocated"]!);
            Assert.Equal("all-allocated", (string?)problem["reason"]);
            Assert.Equal("1 address was requested, but the one address of the allocation pools is allocated.", (string?)problem["detail"]);
        }

        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_EmptyPools_Returns409PoolExhaustedWithPoolSizeZeroButSpecificWorks()
    {
        var id = await SubnetAsync(new { cidr = "10.62.1.0/24" });
        var patched = await IpamServer.ExpectAsync(await Api.PatchJsonAsync($"/v1/subnets/{id}", """{"allocation_pools": []}"""), 200);
        Assert.Empty(PoolsOf(patched));
        var before = await Api.SnapshotAsync(id);

        foreach (var body in new object[] { new { }, new { strategy = "next" }, new { count = 2 } })
        {
            var problem = await ProblemAsync(await PostAllocationAsync(id, body), 409, "pool-exhausted");

            Assert.Equal(0, (int)problem["pool_size"]!);
            Assert.Equal(0, (int)problem["free"]!);
            Assert.Equal(0, (int)problem["allocated"]!);
            Assert.Equal("no-allocation-pools", (string?)problem["reason"]);
            Assert.EndsWith("but the subnet has no allocation pools.", (string?)problem["detail"], StringComparison.Ordinal);
        }

        Assert.Equal(before, await Api.SnapshotAsync(id));
        Assert.Equal("10.62.1.5", Ip(await Api.AllocateAsync(id, new { ip_address = "10.62.1.5" })));
        Assert.Equal("1", Usage(await Api.GetSubnetAsync(id), "outside_pools"));
    }
}

public sealed class PoolExhaustionTestsOnSqlite(SqliteApiFixture api) : PoolExhaustionTests(api), IClassFixture<SqliteApiFixture>;

public sealed class PoolExhaustionTestsOnPostgres(PostgresApiFixture api) : PoolExhaustionTests(api), IClassFixture<PostgresApiFixture>;

public sealed class PoolExhaustionTestsOnThreeInstances(ThreeInstancesApiFixture api) : PoolExhaustionTests(api), IClassFixture<ThreeInstancesApiFixture>;
