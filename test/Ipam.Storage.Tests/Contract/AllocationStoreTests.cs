using Ipam.Addressing;
using Ipam.Errors;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

public abstract class AllocationStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task TryInsertAllocation_ThenFind_ReturnsEveryField()
    {
        var subnet = await InsertSubnetAsync("10.10.0.0/24");
        var reserved = Samples.Allocation(subnet, 7, expires: Samples.Now.AddHours(1));
        var bare = Samples.Allocation(subnet, 8, owner: null);

        Assert.True(await WriteAsync((s, ct) => s.TryInsertAllocationAsync(reserved, ct)));
        Assert.True(await WriteAsync((s, ct) => s.TryInsertAllocationAsync(bare, ct)));

        Assert.Equal(reserved, await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, reserved.Address, ct)));
        Assert.Equal(bare, await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, bare.Address, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, subnet.Cidr.First.Add(9u), ct)));
    }

    [Fact]
    public async Task TryInsertAllocation_AddressTaken_ReturnsFalseAndKeepsTheHolder()
    {
        var subnet = await InsertSubnetAsync("10.11.0.0/24");
        var holder = Samples.Allocation(subnet, 7);
        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(holder, ct));

        Assert.False(await WriteAsync((s, ct) => s.TryInsertAllocationAsync(holder with { Owner = "other" }, ct)));

        Assert.Equal("vm-1", (await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, holder.Address, ct)))?.Owner);
    }

    [Fact]
    public async Task TryInsertAllocation_UnknownSubnet_ThrowsSubnetNotFound()
    {
        var missing = Samples.Subnet("10.12.0.0/24");

        await Assert.ThrowsAsync<SubnetNotFoundException>(() => WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(missing, 3), ct)));
    }

    [Fact]
    public async Task ListAllocations_PagesInAddressOrder_ByOwner()
    {
        var v6 = await InsertSubnetAsync("2001:db8:10::/64");
        int[] offsets = [900, 3, 70_000, 12, 256];
        await WriteAsync(async (s, ct) =>
        {
            foreach (var offset in offsets)
            {
                await s.InsertLoggedAsync(Samples.Allocation(v6, offset, owner: offset % 2 == 0 ? "even" : "odd"), ct);
            }
        });
        var ordered = offsets.Order().Select(o => v6.Cidr.First.Add((uint)o)).ToList();

        var first = await ReadAsync((s, ct) => s.ListAllocationsAsync(new AllocationQuery { SubnetId = v6.Id, Limit = 2 }, ct));
        var rest = await ReadAsync((s, ct) => s.ListAllocationsAsync(new AllocationQuery { SubnetId = v6.Id, After = first[^1].Address }, ct));
        var even = await ReadAsync((s, ct) => s.ListAllocationsAsync(new AllocationQuery { SubnetId = v6.Id, Owner = "even" }, ct));
        var evenAfter = await ReadAsync((s, ct) => s.ListAllocationsAsync(new AllocationQuery { SubnetId = v6.Id, Owner = "even", After = even[0].Address }, ct));

        Assert.Equal(ordered[..2], first.Select(a => a.Address));
        Assert.Equal(ordered[2..], rest.Select(a => a.Address));
        Assert.Equal(Samples.Allocation(v6, 3, owner: "odd"), first[0]);
        Assert.Equal([v6.Cidr.First.Add(12u), v6.Cidr.First.Add(256u), v6.Cidr.First.Add(900u), v6.Cidr.First.Add(70_000u)], even.Select(a => a.Address));
        Assert.Equal(even.Skip(1), evenAfter);
    }

    [Fact]
    public async Task ListAllocatedAddresses_EveryAddressAscending_OfThatSubnetOnly()
    {
        var subnet = await InsertSubnetAsync("10.13.0.0/16");
        var other = await InsertSubnetAsync("10.14.0.0/24");
        await WriteAsync(async (s, ct) =>
        {
            foreach (var offset in new[] { 513, 2, 65_000, 40 })
            {
                await s.TryInsertAllocationAsync(Samples.Allocation(subnet, offset), ct);
            }

            await s.TryInsertAllocationAsync(Samples.Allocation(other, 1), ct);
        });

        var addresses = await WriteAsync((s, ct) => s.ListAllocatedAddressesAsync(subnet.Id, IpVersion.V4, ct));

        Assert.Equal(["10.13.0.2", "10.13.0.40", "10.13.2.1", "10.13.253.232"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public async Task CountAllocations_AllOrInsideARange()
    {
        var subnet = await InsertSubnetAsync("10.15.0.0/24");
        await WriteAsync(async (s, ct) =>
        {
            foreach (var offset in new[] { 2, 3, 10, 11, 200 })
            {
                await s.TryInsertAllocationAsync(Samples.Allocation(subnet, offset), ct);
            }
        });
        var range = new AddressRange(IpAddress.Parse("10.15.0.3"), IpAddress.Parse("10.15.0.10"));

        Assert.Equal(5, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(subnet.Id), ct)));
        Assert.Equal(2, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(subnet.Id, range), ct)));
        Assert.Equal(0, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(Guid.NewGuid()), ct)));
    }

    [Fact]
    public async Task CountSubnetAllocations_AllAndInsideTheStoredPools()
    {
        // The sample pools are offsets 2-5 and 12-22.
        var subnet = await InsertSubnetAsync("10.16.0.0/24");
        var other = await InsertSubnetAsync("10.16.0.0/24");
        await WriteAsync(async (s, ct) =>
        {
            foreach (var offset in new[] { 2, 5, 10, 11, 12, 22, 23, 200 })
            {
                await s.InsertLoggedAsync(Samples.Allocation(subnet, offset), ct);
            }

            await s.InsertLoggedAsync(Samples.Allocation(other, 3), ct);
        });

        Assert.Equal((8L, 4L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
        Assert.Equal((1L, 1L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(other.Id, ct)));
        Assert.Equal((0L, 0L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(Guid.NewGuid(), ct)));
    }

    [Fact]
    public async Task UpdateAllocation_OnlyTheRowAsRead_ElseNullAndNothingChanged()
    {
        var subnet = await InsertSubnetAsync("10.17.0.0/24");
        var read = Samples.Allocation(subnet, 4, expires: Samples.Now.AddHours(1));
        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(read, ct));

        var updated = await WriteAsync((s, ct) => s.UpdateAllocationAsync(read, "renewed", Samples.Now.AddHours(2), ct));
        var fromAStaleRead = await WriteAsync((s, ct) => s.UpdateAllocationAsync(read, "stale", null, ct));
        var ofAnotherAllocation = await WriteAsync((s, ct) => s.UpdateAllocationAsync(updated! with { CreatedAt = Samples.Now.AddSeconds(1) }, "other", null, ct));
        var permanent = await WriteAsync((s, ct) => s.UpdateAllocationAsync(updated!, null, null, ct));

        Assert.Equal(read with { Description = "renewed", ExpiresAt = Samples.Now.AddHours(2) }, updated);
        Assert.Null(fromAStaleRead);
        Assert.Null(ofAnotherAllocation);
        Assert.Equal(read with { Description = null, ExpiresAt = null }, permanent);
        Assert.Equal(permanent, await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, read.Address, ct)));
    }

    [Fact]
    public async Task DeleteAllocation_ReturnsTheRowOnceThenNull()
    {
        var subnet = await InsertSubnetAsync("10.16.0.0/24");
        var allocation = Samples.Allocation(subnet, 4);
        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(allocation, ct));

        Assert.Equal(allocation, await WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, allocation.Address, ct)));
        Assert.Null(await WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, allocation.Address, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, allocation.Address, ct)));
    }

    [Fact]
    public async Task DeleteExpiredAllocations_OnlyThoseEndedByNow_OfOneSubnetOrAll()
    {
        var first = await InsertSubnetAsync("10.17.0.0/24");
        var second = await InsertSubnetAsync("2001:db8:17::/64");
        var now = Samples.Now;
        await WriteAsync(async (s, ct) =>
        {
            await s.TryInsertAllocationAsync(Samples.Allocation(first, 1, expires: now.AddSeconds(-1)), ct);
            await s.TryInsertAllocationAsync(Samples.Allocation(first, 2, expires: now), ct);
            await s.TryInsertAllocationAsync(Samples.Allocation(first, 3, expires: now.AddMicroseconds(1)), ct);
            await s.TryInsertAllocationAsync(Samples.Allocation(first, 4), ct);
            await s.TryInsertAllocationAsync(Samples.Allocation(second, 5, expires: now.AddDays(-1)), ct);
        });

        var ofFirst = await WriteAsync((s, ct) => s.DeleteExpiredAllocationsAsync(now, first.Id, ct));
        var ofAll = await WriteAsync((s, ct) => s.DeleteExpiredAllocationsAsync(now, null, ct));

        Assert.Equal([(first.Id, first.Cidr.First.Add(1u)), (first.Id, first.Cidr.First.Add(2u))], ofFirst.Select(r => (r.SubnetId, r.Address)).Order());
        Assert.Equal([(second.Id, second.Cidr.First.Add(5u))], ofAll.Select(r => (r.SubnetId, r.Address)));
        Assert.Equal(2, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(first.Id), ct)));
    }

    private async Task<Subnet> InsertSubnetAsync(string cidr)
    {
        var subnet = Samples.Subnet(cidr);
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        return subnet;
    }
}

public sealed class AllocationStoreTestsOnSqlite() : AllocationStoreTests(StoreKind.Sqlite);

public sealed class AllocationStoreTestsOnPostgres() : AllocationStoreTests(StoreKind.Postgres);
