using Ipam.Addressing;
using Ipam.Errors;

namespace Ipam.Storage.Tests.Contract;

public abstract class SubnetStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task InsertSubnet_ThenFind_ReturnsEveryFieldWithPools()
    {
        var v4 = Samples.Subnet("10.1.0.0/24");
        var v6 = Samples.Subnet("2001:db8:1::/64", poolId: null, tenant: null) with { Gateway = null, Name = null };
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(v4, ct);
            await s.InsertSubnetAsync(v6, ct);
        });

        Samples.AssertSame(v4, await ReadAsync((s, ct) => s.FindSubnetAsync(v4.Id, RowLock.None, ct)));
        Samples.AssertSame(v6, await ReadAsync((s, ct) => s.FindSubnetAsync(v6.Id, RowLock.None, ct)));
        Samples.AssertSame(v4, await WriteAsync((s, ct) => s.FindSubnetAsync(v4.Id, RowLock.ForUpdate, ct)));
        Assert.Equal(v4.Revision, await WriteAsync((s, ct) => s.FindSubnetRevisionAsync(v4.Id, ct)));
    }

    [Fact]
    public async Task FindSubnet_Unknown_ReturnsNull()
    {
        var id = Guid.NewGuid();

        Assert.Null(await ReadAsync((s, ct) => s.FindSubnetAsync(id, RowLock.None, ct)));
        Assert.Null(await WriteAsync((s, ct) => s.FindSubnetAsync(id, RowLock.ForUpdate, ct)));
        Assert.Null(await WriteAsync((s, ct) => s.FindSubnetRevisionAsync(id, ct)));
    }

    [Fact]
    public async Task UpdateSubnet_ReplacesNameGatewayPoolsAndRevision()
    {
        var subnet = Samples.Subnet("10.2.0.0/24");
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        var updated = subnet with
        {
            Name = "renamed",
            Gateway = IpAddress.Parse("10.2.0.254"),
            AllocationPools = [new AddressRange(IpAddress.Parse("10.2.0.100"), IpAddress.Parse("10.2.0.110"))],
            Revision = subnet.Revision + 1,
        };

        await WriteAsync((s, ct) => s.UpdateSubnetAsync(updated, ct));

        Samples.AssertSame(updated, await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
        Assert.Equal(updated.Revision, await WriteAsync((s, ct) => s.FindSubnetRevisionAsync(subnet.Id, ct)));
    }

    [Fact]
    public async Task UpdateSubnet_Unknown_ThrowsSubnetNotFound()
    {
        var subnet = Samples.Subnet("10.3.0.0/24");

        await Assert.ThrowsAsync<SubnetNotFoundException>(() => WriteAsync((s, ct) => s.UpdateSubnetAsync(subnet, ct)));
    }

    [Fact]
    public async Task DeleteSubnet_RemovesItsPoolsAndAllocations()
    {
        var subnet = Samples.Subnet("10.4.0.0/24");
        var allocation = Samples.Allocation(subnet, 5);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(subnet, ct);
            await s.TryInsertAllocationAsync(allocation, ct);
        });

        Assert.True(await WriteAsync((s, ct) => s.DeleteSubnetAsync(subnet.Id, ct)));

        Assert.False(await WriteAsync((s, ct) => s.DeleteSubnetAsync(subnet.Id, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, allocation.Address, ct)));
        Assert.Equal(0, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(subnet.Id), ct)));
        // The pools went with the subnet: a subnet with the same id starts with only its own.
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        Samples.AssertSame(subnet, await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
    }

    [Fact]
    public async Task ListSubnets_PagesInIdOrderAfterTheKey()
    {
        var subnets = Enumerable.Range(0, 5).Select(i => Samples.Subnet($"10.5.{i}.0/24")).ToList();
        await WriteAsync(async (s, ct) =>
        {
            foreach (var subnet in subnets)
            {
                await s.InsertSubnetAsync(subnet, ct);
            }
        });
        var ordered = Samples.InStoreOrder(subnets.Select(s => s.Id));

        var first = await ReadAsync((s, ct) => s.ListSubnetsAsync(new SubnetQuery { Limit = 2 }, ct));
        var rest = await ReadAsync((s, ct) => s.ListSubnetsAsync(new SubnetQuery { After = first[^1].Id, Limit = 10 }, ct));

        Assert.Equal(ordered[..2], first.Select(s => s.Id));
        Assert.Equal(ordered[2..], rest.Select(s => s.Id));
        Samples.AssertSame(subnets.Single(s => s.Id == ordered[0]), first[0]);
    }

    [Fact]
    public async Task ListSubnets_FiltersByPoolTenantAndVersion()
    {
        var pool = Samples.Pool("10.6.0.0/16");
        var fromPool = Samples.Subnet("10.6.1.0/24", pool.Id);
        var otherTenant = Samples.Subnet("10.7.0.0/24", tenant: "tenant-b");
        var v6 = Samples.Subnet("2001:db8:6::/64");
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetPoolAsync(pool, ct);
            await s.InsertSubnetAsync(fromPool, ct);
            await s.InsertSubnetAsync(otherTenant, ct);
            await s.InsertSubnetAsync(v6, ct);
        });

        Assert.Equal([fromPool.Id], await IdsAsync(new SubnetQuery { SubnetPoolId = pool.Id }));
        Assert.Equal([otherTenant.Id], await IdsAsync(new SubnetQuery { TenantId = "tenant-b" }));
        Assert.Equal([v6.Id], await IdsAsync(new SubnetQuery { IpVersion = IpVersion.V6 }));
        Assert.Equal([fromPool.Id], await IdsAsync(new SubnetQuery { IpVersion = IpVersion.V4, TenantId = "tenant-a" }));
        Assert.Equal(Samples.InStoreOrder([fromPool.Id, otherTenant.Id, v6.Id]), await IdsAsync(new SubnetQuery()));
    }

    [Fact]
    public async Task NextRevision_AboveEveryCommittedOne_AndAboveRevisionsCountedPerRow()
    {
        var first = await WriteAsync((s, ct) => s.NextRevisionAsync(ct));
        var (second, third) = await WriteAsync(async (s, ct) => (await s.NextRevisionAsync(ct), await s.NextRevisionAsync(ct)));

        Assert.True(first > uint.MaxValue, $"{first} is among the revisions rows counted from 1 before");
        Assert.True(second > first && third > second, $"{first}, {second}, {third} do not increase");
    }

    private async Task<List<Guid>> IdsAsync(SubnetQuery query) =>
        [.. (await ReadAsync((s, ct) => s.ListSubnetsAsync(query, ct))).Select(s => s.Id)];
}

public sealed class SubnetStoreTestsOnSqlite() : SubnetStoreTests(StoreKind.Sqlite);

public sealed class SubnetStoreTestsOnPostgres() : SubnetStoreTests(StoreKind.Postgres);
