using System.Runtime.CompilerServices;
using Ipam.Storage.Postgres;
using Ipam.Subnets;
using Ipam.Storage.Tests.Contract;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Sixteen clients, each with a store (and so a backend) of its own, allocating on one subnet at once, while two
/// more fold the log into the counters and a third changes the subnet's pools back and forth (each change a recount).
/// </summary>
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
        var stores = Enumerable.Range(0, Clients + 3).Select(_ => new PostgresStore(ConnectionString)).ToList();
        var folders = stores[Clients..];
        using var clients = new CountdownEvent(Clients);
        var folded = new StrongBox<long>();
        try
        {
            await Task.WhenAll(stores.Take(Clients).Select((store, client) => Task.Run(async () =>
            {
                try
                {
                    await AllocateAndReleaseAsync(store, subnet, client);
                }
                finally
                {
                    clients.Signal();
                }
            })).Append(FoldWhileAsync(folders[0], clients, folded)).Append(FoldWhileAsync(folders[1], clients, folded)).Append(ChangePoolsWhileAsync(folders[2], subnet, clients)));
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
        Assert.True(folded.Value > 0, "no fold took a change while the clients ran");

        await Store.WriteAloneAsync((s, ct) => s.FoldUsageAsync(100_000, ct), TestContext.Current.CancellationToken);
        Assert.Equal(0L, await ReadAsync((s, ct) => s.FindUsageFoldLagAsync(ct)));
        Assert.Equal((all, inPools), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
    }

    /// <summary>
    /// An instance that finds another folding leaves the round to it: its fold takes nothing and returns at once,
    /// instead of holding its writer while it waits for the other's commit.
    /// </summary>
    [Fact]
    public async Task Fold_WhileAnotherInstanceFolds_TakesNothingWithoutWaiting()
    {
        var subnet = Samples.Subnet("10.52.0.0/24");
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, 2), ct));
        await using var holder = new PostgresStore(ConnectionString);
        await using var other = new PostgresStore(ConnectionString);
        var folding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var held = holder.WriteAloneAsync(async (s, ct) =>
        {
            var taken = await s.FoldUsageAsync(1, ct);
            folding.SetResult();
            await release.Task;
            return taken;
        }, TestContext.Current.CancellationToken);
        await folding.Task;
        await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, 3), ct));

        var whileHeld = other.WriteAloneAsync((s, ct) => s.FoldUsageAsync(100, ct), TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(whileHeld, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        release.SetResult();

        Assert.Same(whileHeld, first);
        Assert.Equal(0, await whileHeld);
        Assert.Equal(1, await held);
        Assert.Equal(1, await other.WriteAloneAsync((s, ct) => s.FoldUsageAsync(100, ct), TestContext.Current.CancellationToken));
        Assert.Equal((2L, 2L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
    }

    /// <summary>Client <paramref name="client"/> allocates offsets 2 + c, 2 + c + 96, ...: half of them inside the pool, half beyond it; every other one is released again.</summary>
    private static async Task AllocateAndReleaseAsync(PostgresStore store, Subnet subnet, int client)
    {
        for (var i = 0; i < PerClient; i++)
        {
            var allocation = Samples.Allocation(subnet, 2 + client + (Clients * i * 6));
            await store.WriteAsync((s, ct) => s.InsertLoggedAsync(allocation, ct), TestContext.Current.CancellationToken);
            if (i % 2 == 1)
            {
                await store.WriteAsync((s, ct) => s.DeleteLoggedAsync(subnet.Id, allocation.Address, ct), TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>Folds a few changes at a time until every client is done; adds what it took to <paramref name="folded"/>.</summary>
    private static Task FoldWhileAsync(PostgresStore store, CountdownEvent clients, StrongBox<long> folded) => Task.Run(async () =>
    {
        while (!clients.IsSet)
        {
            var taken = await store.WriteAloneAsync((s, ct) => s.FoldUsageAsync(7, ct), TestContext.Current.CancellationToken);
            Interlocked.Add(ref folded.Value, taken);
        }
    });

    /// <summary>Shrinks the subnet's pool and gives it back, as a pool update does (the subnet locked, a recount at the commit), until every client is done.</summary>
    private static Task ChangePoolsWhileAsync(PostgresStore store, Subnet subnet, CountdownEvent clients) => Task.Run(async () =>
    {
        var shrunk = subnet with { AllocationPools = [new(subnet.AllocationPools[0].First, Addressing.IpAddress.Parse("10.50.3.255"))] };
        var round = 0;
        while (!clients.IsSet)
        {
            var pools = round++ % 2 == 0 ? shrunk : subnet;
            await store.WriteAloneAsync(async (s, ct) =>
            {
                await s.FindSubnetAsync(subnet.Id, RowLock.ForUpdate, ct);
                await s.UpdateSubnetAsync(pools, ct);
                return true;
            }, TestContext.Current.CancellationToken);
        }

        await store.WriteAloneAsync(async (s, ct) =>
        {
            await s.FindSubnetAsync(subnet.Id, RowLock.ForUpdate, ct);
            await s.UpdateSubnetAsync(subnet, ct);
            return true;
        }, TestContext.Current.CancellationToken);
    });
}
