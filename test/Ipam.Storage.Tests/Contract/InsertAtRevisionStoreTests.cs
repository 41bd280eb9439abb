using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>The allocation insert that is made only while its subnet is at the revision it names: its three outcomes.</summary>
public abstract class InsertAtRevisionStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task TryInsertAllocationAtRevision_SubnetAtRevision_InsertsAndCountsIt()
    {
        var subnet = await InsertSubnetAsync("10.120.0.0/24");
        var allocation = Samples.Allocation(subnet, 3, expires: Samples.Now.AddHours(1));

        Assert.Equal(AllocationInsert.Inserted, await WriteAsync((s, ct) => s.InsertLoggedAtRevisionAsync(allocation, subnet.Revision, ct)));

        Assert.Equal(allocation, await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, allocation.Address, ct)));
        Assert.Equal((1L, 1L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
    }

    [Fact]
    public async Task TryInsertAllocationAtRevision_AddressTaken_ReturnsAddressTakenAndKeepsTheHolder()
    {
        var subnet = await InsertSubnetAsync("10.121.0.0/24");
        var holder = Samples.Allocation(subnet, 3);
        await WriteAsync((s, ct) => s.InsertLoggedAsync(holder, ct));

        var outcome = await WriteAsync((s, ct) => s.TryInsertAllocationAtRevisionAsync(holder with { Owner = "other" }, subnet.Revision, ct));

        Assert.Equal(AllocationInsert.AddressTaken, outcome);
        Assert.Equal("vm-1", (await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, holder.Address, ct)))?.Owner);
        Assert.Equal((1L, 1L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
    }

    [Theory]
    [InlineData(-1)] // the revision the allocation was chosen for, before the update
    [InlineData(1)]
    public async Task TryInsertAllocationAtRevision_SubnetAtAnotherRevision_ReturnsSubnetChangedAndInsertsNothing(int revisionOffset)
    {
        var subnet = await InsertSubnetAsync("10.122.0.0/24");
        var updated = subnet with { Revision = subnet.Revision + 1, AllocationPools = [new(subnet.Cidr.First.Add(100u), subnet.Cidr.First.Add(200u))] };
        await WriteAsync((s, ct) => s.UpdateSubnetAsync(updated, ct));
        var allocation = Samples.Allocation(subnet, 7);

        var outcome = await WriteAsync((s, ct) => s.TryInsertAllocationAtRevisionAsync(allocation, updated.Revision + revisionOffset, ct));

        Assert.Equal(AllocationInsert.SubnetChanged, outcome);
        Assert.Null(await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, allocation.Address, ct)));
        Assert.Equal((0L, 0L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
    }

    [Fact]
    public async Task TryInsertAllocationAtRevision_SubnetGone_ReturnsSubnetChanged()
    {
        var deleted = await InsertSubnetAsync("10.123.0.0/24");
        await WriteAsync((s, ct) => s.DeleteSubnetAsync(deleted.Id, ct));
        var neverStored = Samples.Subnet("10.124.0.0/24");

        Assert.Equal(AllocationInsert.SubnetChanged,
            await WriteAsync((s, ct) => s.TryInsertAllocationAtRevisionAsync(Samples.Allocation(deleted, 3), deleted.Revision, ct)));
        Assert.Equal(AllocationInsert.SubnetChanged,
            await WriteAsync((s, ct) => s.TryInsertAllocationAtRevisionAsync(Samples.Allocation(neverStored, 3), neverStored.Revision, ct)));
        Assert.Equal(0, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(deleted.Id), ct)));
    }

    private async Task<Subnet> InsertSubnetAsync(string cidr)
    {
        var subnet = Samples.Subnet(cidr);
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        return subnet;
    }
}

public sealed class InsertAtRevisionStoreTestsOnSqlite() : InsertAtRevisionStoreTests(StoreKind.Sqlite);

public sealed class InsertAtRevisionStoreTestsOnPostgres() : InsertAtRevisionStoreTests(StoreKind.Postgres);
