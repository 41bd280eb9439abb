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
/// Releases sent with an <c>Idempotency-Key</c> that share one transaction: a retry queued behind the first release,
/// and behind an allocation of the same address again, answers as the first did and leaves the new holder alone,
/// also when another unit spoils the shared transaction and every request runs again in a savepoint of its own.
/// Each store has one transaction slot here, so requests queued together share a transaction.
/// </summary>
public abstract class ReleaseReplayInBatchTests(StoreKind kind) : StoreTests(kind)
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private AllocationService _allocations = null!;
    private SubnetService _subnets = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cache = new FreeSpaceCache(_clock);
        var changes = new ChangeLog(new AnonymousCaller(), _clock);
        _allocations = new AllocationService(Store, cache, changes, new SeededRandomSource(7), _clock);
        _subnets = new SubnetService(Store, cache, new PrefixAllocator(new PrefixIndexCache()), changes, _clock);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_retry_in_the_same_batch_replays_and_keeps_the_new_holder(bool spoiled)
    {
        var ct = TestContext.Current.CancellationToken;
        var subnetId = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.40.0.0/24") }, ct)).Subnet.Id;
        var (held, free) = (IpAddress.Parse("10.40.0.10"), IpAddress.Parse("10.40.0.20"));
        await _allocations.AllocateAsync(subnetId, new AllocationRequest { Address = held, Owner = "old" }, cancellationToken: ct);
        var retriesBefore = IsolatedRetries;

        var (blocker, release) = await WriterHold.StartAsync(Store);
        var first = _allocations.ReleaseOrReplayAsync(subnetId, held, "k-held", ct);
        var again = _allocations.AllocateAsync(subnetId, new AllocationRequest { Address = held, Owner = "new" }, cancellationToken: ct);
        var retry = _allocations.ReleaseOrReplayAsync(subnetId, held, "k-held", ct);
        var notFound = _allocations.ReleaseOrReplayAsync(subnetId, free, "k-free", ct);
        var spoiler = spoiled ? SpoilAsync(subnetId) : Task.CompletedTask;
        release.SetResult();
        Assert.True(await blocker);

        Assert.False(await first);
        Assert.Equal("new", Assert.Single(await again).Owner);
        Assert.True(await retry);
        await Assert.ThrowsAsync<AllocationNotFoundException>(() => notFound);
        if (spoiled)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => spoiler);
            Assert.True(IsolatedRetries > retriesBefore, "the spoiled transaction ran again, with savepoints");
        }

        await _allocations.AllocateAsync(subnetId, new AllocationRequest { Address = free, Owner = "later" }, cancellationToken: ct);
        await Assert.ThrowsAsync<AllocationNotFoundException>(() => _allocations.ReleaseOrReplayAsync(subnetId, free, "k-free", ct));
        var holders = await _allocations.ListAsync(new AllocationQuery { SubnetId = subnetId }, ct);
        Assert.Equal([("10.40.0.10", "new"), ("10.40.0.20", "later")], holders.Select(a => (a.Address.ToString(), a.Owner)));
    }

    private Task<bool> SpoilAsync(Guid subnetId) => Store.WriteAsync<bool>(async (session, ct) =>
    {
        await session.TryInsertAllocationAsync(new Allocation { SubnetId = subnetId, Address = IpAddress.Parse("10.40.0.250"), CreatedAt = _clock.GetUtcNow() }, ct);
        throw new InvalidOperationException("gives up after writing");
    }, TestContext.Current.CancellationToken);

    /// <summary>Shared transactions the store's group commit ran again with a savepoint per request.</summary>
    private long IsolatedRetries => Store switch
    {
        SqliteStore sqlite => sqlite.GroupCommit!.IsolatedRetries,
        PostgresStore postgres => postgres.GroupCommit.IsolatedRetries,
        _ => throw new InvalidOperationException("Unknown store."),
    };
}

public sealed class ReleaseReplayInBatchTestsOnSqlite() : ReleaseReplayInBatchTests(StoreKind.Sqlite);

public sealed class ReleaseReplayInBatchTestsOnPostgres() : ReleaseReplayInBatchTests(StoreKind.Postgres);
