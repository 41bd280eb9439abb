using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Errors;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sqlite;
using Ipam.Storage.Tests.Contract;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Ipam.Testing;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// Expired reservations released by a unit that is then undone: the subnet's index stays and is as exact as before,
/// so the run again, or the next request, costs no rebuild of it from every allocation of the subnet. Each store has
/// one transaction slot here, so requests queued together share a transaction.
/// </summary>
public abstract class ExpiryUndoneTests(StoreKind kind) : StoreTests(kind)
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Start);
    private FreeSpaceCache _cache = null!;
    private AllocationService _allocations = null!;
    private SubnetService _subnets = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _cache = new FreeSpaceCache(_clock);
        var changes = new ChangeLog(new AnonymousCaller(), _clock);
        _allocations = new AllocationService(Store, _cache, changes, new SeededRandomSource(7), _clock);
        _subnets = new SubnetService(Store, _cache, new PrefixAllocator(new PrefixIndexCache()), changes, _clock);
    }

    /// <summary>
    /// An expiry sweep in a shared transaction that another unit spoils is undone and run again. The index, cached
    /// before the sweep and never shown its deletes, stays and learns of the expiry from the log.
    /// </summary>
    [Fact]
    public async Task An_expiry_sweep_undone_with_its_shared_transaction_keeps_the_index_cached_before_it()
    {
        var (cache, allocations) = (_cache, _allocations);
        var subnetId = await CreateSubnetAsync("10.20.0.0/24");
        var expiring = Assert.Single(await allocations.AllocateAsync(subnetId, new AllocationRequest { ExpiresAt = Start.AddMinutes(1) }, cancellationToken: TestContext.Current.CancellationToken)).Address;
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await allocations.AllocateAsync(subnetId, new AllocationRequest(), cancellationToken: TestContext.Current.CancellationToken));
        }

        var index = cache.Cached(subnetId);
        Assert.NotNull(index);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var retriesBefore = IsolatedRetries;
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
        Assert.True(IsolatedRetries > retriesBefore, "the spoiled transaction ran again, with savepoints");

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

    /// <summary>
    /// On a full subnet, a request for two addresses frees the one expired reservation, finds that not enough and is
    /// refused, which undoes the release: the index takes the address back instead of being dropped, so the next
    /// request, which reclaims it for good, finds the same index.
    /// </summary>
    [Fact]
    public async Task A_reclaim_undone_by_its_refusal_takes_the_address_back_and_keeps_the_index()
    {
        var (subnetId, expiring, index) = await FullSubnetWithAnExpiredReservationAsync("10.30.0.0/28");

        var refused = await Assert.ThrowsAsync<PoolExhaustedException>(() =>
            _allocations.AllocateAsync(subnetId, new AllocationRequest { Count = 2 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal((2, UInt128.One), (refused.Requested, refused.Free));
        Assert.Same(index, _cache.Cached(subnetId));
        lock (index.Gate)
        {
            Assert.Equal(UInt128.Zero, index.Index.FreeCount);
            Assert.False(index.Index.IsFree(expiring));
        }

        Assert.Equal(13, (await _allocations.ListAsync(new AllocationQuery { SubnetId = subnetId }, TestContext.Current.CancellationToken)).Count);
        Assert.Equal(expiring, Assert.Single(await _allocations.AllocateAsync(subnetId, new AllocationRequest(), cancellationToken: TestContext.Current.CancellationToken)).Address);
        Assert.Same(index, _cache.Cached(subnetId));
        lock (index.Gate)
        {
            Assert.Equal(UInt128.Zero, index.Index.FreeCount);
        }
    }

    /// <summary>
    /// On a full subnet, a request frees the expired reservation and takes its address, in a shared transaction that
    /// another unit spoils: undone, the pick is returned and the release taken back, then both run again and commit.
    /// </summary>
    [Fact]
    public async Task A_reclaim_and_its_pick_undone_with_their_shared_transaction_run_again_on_the_same_index()
    {
        var (subnetId, expiring, index) = await FullSubnetWithAnExpiredReservationAsync("10.40.0.0/28");
        var retriesBefore = IsolatedRetries;
        var (blocker, release) = await WriterHold.StartAsync(Store);
        var reclaiming = _allocations.AllocateAsync(subnetId, new AllocationRequest { Owner = "after-expiry" }, cancellationToken: TestContext.Current.CancellationToken);
        var spoiler = Store.WriteAsync<bool>(async (session, ct) =>
        {
            await session.TryInsertAllocationAsync(new Allocation { SubnetId = subnetId, Address = IpAddress.Parse("10.40.0.99"), CreatedAt = Start }, ct);
            throw new InvalidOperationException("gives up after writing");
        }, TestContext.Current.CancellationToken);
        release.SetResult();
        Assert.True(await blocker);
        var taken = Assert.Single(await reclaiming);
        await Assert.ThrowsAsync<InvalidOperationException>(() => spoiler);
        Assert.True(IsolatedRetries > retriesBefore, "the spoiled transaction ran again, with savepoints");

        Assert.Equal((expiring, "after-expiry", (DateTimeOffset?)null), (taken.Address, taken.Owner, taken.ExpiresAt));
        Assert.Same(index, _cache.Cached(subnetId));
        lock (index.Gate)
        {
            Assert.Equal(UInt128.Zero, index.Index.FreeCount);
        }

        var stored = await _allocations.GetAsync(subnetId, expiring, TestContext.Current.CancellationToken);
        Assert.Equal("after-expiry", stored.Owner);
        await Assert.ThrowsAsync<PoolExhaustedException>(() =>
            _allocations.AllocateAsync(subnetId, new AllocationRequest(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Same(index, _cache.Cached(subnetId));
    }

    /// <summary>
    /// A /28 whose 13 pool addresses are allocated, the first of them as a reservation that has now run out (the sweep
    /// has not released it), with its index cached.
    /// </summary>
    private async Task<(Guid SubnetId, IpAddress Expired, FreeSpace Index)> FullSubnetWithAnExpiredReservationAsync(string cidr)
    {
        var subnetId = await CreateSubnetAsync(cidr);
        var expiring = Assert.Single(await _allocations.AllocateAsync(subnetId, new AllocationRequest { ExpiresAt = Start.AddMinutes(1) }, cancellationToken: TestContext.Current.CancellationToken)).Address;
        Assert.Equal(12, (await _allocations.AllocateAsync(subnetId, new AllocationRequest { Count = 12 }, cancellationToken: TestContext.Current.CancellationToken)).Count);
        var index = _cache.Cached(subnetId);
        Assert.NotNull(index);
        _clock.Advance(TimeSpan.FromMinutes(2));
        return (subnetId, expiring, index);
    }

    /// <summary>Shared transactions the store's group commit ran again with a savepoint per request.</summary>
    private long IsolatedRetries => Store switch
    {
        SqliteStore sqlite => sqlite.GroupCommit!.IsolatedRetries,
        PostgresStore postgres => postgres.GroupCommit.IsolatedRetries,
        _ => throw new InvalidOperationException("Unknown store."),
    };

    private async Task<Guid> CreateSubnetAsync(string cidr) =>
        (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse(cidr) }, TestContext.Current.CancellationToken)).Subnet.Id;
}

public sealed class ExpiryUndoneTestsOnSqlite() : ExpiryUndoneTests(StoreKind.Sqlite);

public sealed class ExpiryUndoneTestsOnPostgres() : ExpiryUndoneTests(StoreKind.Postgres);
