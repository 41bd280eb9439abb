using Ipam.Storage.Postgres;
using Ipam.Storage.Tests.Contract;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>Sixteen clients, each with a store (and so a backend) of its own, allocating on one subnet at once.</summary>
public sealed class UsageCounterConcurrencyTests() : StoreTests(StoreKind.Postgres)
{
    private const int Clients = 16;
    private const int PerClient = 40;

    [Fact]
    public async Task Counters_SixteenClientsOnOneSubnet_EqualTheRows()
    {
        var subnet = Samples.Subnet("10.50.0.0/20") with
        {
            AllocationPools = [new(Addressing.IpAddress.Parse("10.50.0.2"), Addressing.IpAddress.Parse("10.50.7.255"))],
        };
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        var stores = Enumerable.Range(0, Clients).Select(_ => new PostgresStore(ConnectionString)).ToList();
        try
        {
            // Client c allocates offsets c, c + 16, ...: half of them inside the pool, half beyond it; every
            // other one is released again.
            await Task.WhenAll(stores.Select((store, client) => Task.Run(async () =>
            {
                for (var i = 0; i < PerClient; i++)
                {
                    var allocation = Samples.Allocation(subnet, 2 + client + (Clients * i * 6));
                    await store.WriteAsync((s, ct) => s.TryInsertAllocationAsync(allocation, ct), TestContext.Current.CancellationToken);
                    if (i % 2 == 1)
                    {
                        await store.WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, allocation.Address, ct), TestContext.Current.CancellationToken);
                    }
                }
            })));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        var (all, inPools) = await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct));
        var rows = await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(subnet.Id), ct));
        var rowsInPools = await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(subnet.Id, subnet.AllocationPools[0]), ct));
        Assert.Equal(Clients * PerClient / 2, rows);
        Assert.Equal((rows, rowsInPools), (all, inPools));
        Assert.InRange(rowsInPools, 1, rows - 1);
        Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
    }
}
