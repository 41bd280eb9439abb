using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Storage.Tests.Contract;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Ipam.Testing;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// An expiry sweep in a shared transaction that another unit spoils is undone and run again. The subnet's index,
/// cached before the sweep and never shown its deletes, stays and learns of the expiry from the log: the run again
/// costs no rebuild of it. Each store has one transaction slot here, so the sweep and the spoiler share a transaction.
/// </summary>
public abstract class ExpirySweepUndoneTests(StoreKind kind) : StoreTests(kind)
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Start);

    [Fact]
    public async Task An_expiry_sweep_undone_with_its_shared_transaction_keeps_the_index_cached_before_it()
    {
        var cache = new FreeSpaceCache(_clock);
        var changes = new ChangeLog(new AnonymousCaller(), _clock);
        var allocations = new AllocationService(Store, cache, changes, new SeededRandomSource(7), _clock);
        var subnets = new SubnetService(Store, cache, new PrefixAllocator(Store, new PrefixIndexCache()), changes, _clock);
        var subnetId = (await subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.20.0.0/24") }, TestContext.Current.CancellationToken)).Subnet.Id;
        var expiring = Assert.Single(await allocations.AllocateAsync(subnetId, new AllocationRequest { ExpiresAt = Start.AddMinutes(1) }, cancellationToken: TestContext.Current.CancellationToken)).Address;
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await allocations.AllocateAsync(subnetId, new AllocationRequest(), cancellationToken: TestContext.Current.CancellationToken));
        }

        var index = cache.Cached(subnetId);
        Assert.NotNull(index);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var (blocker, release) = await WriterHold.StartAsync(Store);
        var sweep = allocations.ReleaseExpiredAsync(TestContext.Current.CancellationToken);
        var spoiler = Store.WriteAsync<bool>(async (session, ct) =>
        {
            await session.TryInsertAllocationAsync(new Allocation { SubnetId = subnetId, Address = IpAddress.Parse("10.20.0.250"), CreatedAt = Start }, ct);
            throw new InvalidOperationException("gives up after writing");
        }, TestContext.Current.CancellationToken);
        release.SetResult();
        Assert.True(await blocker);
        Assert.Equal(1, await sweep);
        await Assert.ThrowsAsync<InvalidOperationException>(() => spoiler);

        Assert.Same(index, cache.Cached(subnetId));
        var next = Assert.Single(await allocations.AllocateAsync(subnetId, new AllocationRequest(), cancellationToken: TestContext.Current.CancellationToken)).Address;
        Assert.Same(index, cache.Cached(subnetId));
        lock (index.Gate)
        {
            Assert.Equal((UInt128)(253 - 3), index.Index.FreeCount);
            Assert.Equal(next != expiring, index.Index.IsFree(expiring));
            Assert.False(index.Index.IsFree(next));
        }

        Assert.Equal(3, (await allocations.ListAsync(new AllocationQuery { SubnetId = subnetId }, TestContext.Current.CancellationToken)).Count);
    }
}

public sealed class ExpirySweepUndoneTestsOnSqlite() : ExpirySweepUndoneTests(StoreKind.Sqlite);

public sealed class ExpirySweepUndoneTestsOnPostgres() : ExpirySweepUndoneTests(StoreKind.Postgres);
