using System.Collections.Concurrent;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// The group-commit engine, on each store. A request that holds the only transaction slot lets the tests
/// queue requests behind it, which then run as one batch once it lets go.
/// </summary>
public abstract class GroupCommitEngineTests : IAsyncLifetime
{
    private const int Units = 12;

    private IIpamStore? _store;
    private Guid _subnetId;

    private IIpamStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>
    /// Transactions a batch takes when one of its requests fails after writing: the shared one, abandoned, and the
    /// one that runs the batch again with a savepoint per request.
    /// </summary>
    private const int TransactionsUndoingAWrite = 2;

    public async ValueTask InitializeAsync()
    {
        _store = await OpenStoreAsync();
        await _store.MigrateAsync();
        _subnetId = Guid.NewGuid();
        var subnet = new Subnet { Id = _subnetId, Cidr = Cidr.Parse("10.20.0.0/24"), AllocationPools = [], CreatedAt = DateTimeOffset.UtcNow };
        await _store.WriteAsync(async (session, ct) =>
        {
            await session.InsertSubnetAsync(subnet, ct);
            return true;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        RemoveDatabase();
    }

    /// <summary>A store with one transaction slot, so that requests queued meanwhile share the next transaction.</summary>
    private protected abstract Task<IIpamStore> OpenStoreAsync();

    private protected abstract GroupCommitEngine EngineOf(IIpamStore store);

    /// <summary>Removes what the store left on disk, once it is disposed.</summary>
    private protected virtual void RemoveDatabase()
    {
    }

    /// <summary>The allocations committed, counted on a connection of its own.</summary>
    private protected abstract long CountAllocationsOutside();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failing_request_in_a_batch_is_undone_alone_and_its_neighbours_commit_together(bool failsAfterWriting)
    {
        var engine = EngineOf(Store);
        var (blocker, release) = await HoldTheWriterAsync();
        var transactionsBefore = engine.Transactions;
        var tasks = Enumerable.Range(1, Units).Select(i => Store.WriteAsync(_subnetId, async (session, ct) =>
        {
            var inserted = failsAfterWriting || i % 4 != 0 ? await session.TryInsertAllocationAsync(AllocationOf(i), ct) : false;
            return i % 4 == 0 ? throw new InvalidOperationException($"unit {i} gives up") : inserted;
        })).ToList();

        release.SetResult();
        await blocker;

        for (var i = 1; i <= Units; i++)
        {
            if (i % 4 == 0)
            {
                Assert.Equal($"unit {i} gives up", (await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[i - 1])).Message);
            }
            else
            {
                Assert.True(await tasks[i - 1]);
            }
        }

        Assert.Equal(Enumerable.Range(1, Units).Where(i => i % 4 != 0), await StoredHostsAsync());
        Assert.Equal(failsAfterWriting ? TransactionsUndoingAWrite : 1, engine.Transactions - transactionsBefore);
        Assert.Equal(failsAfterWriting ? TransactionsUndoingAWrite - 1 : 0, engine.IsolatedRetries);
    }

    [Fact]
    public async Task A_subnet_change_undone_with_its_request_leaves_the_neighbours_checking_the_revision_as_stored()
    {
        var subnet = await StoredSubnetAsync();
        var stored = subnet.Revision;
        var (blocker, release) = await HoldTheWriterAsync();
        // Changes the subnet, allocates at the new revision (which the transaction may then remember), then fails.
        var changer = Store.WriteAsync(_subnetId, async (session, ct) =>
        {
            await session.UpdateSubnetAsync(subnet with { Revision = stored + 1, Name = "changed" }, ct);
            await session.TryInsertAllocationAtRevisionAsync(AllocationOf(1), stored + 1, ct);
            return await Task.FromException<bool>(new InvalidOperationException("changer gives up"));
        });
        var neighbour = Store.WriteAsync(_subnetId, (session, ct) => session.TryInsertAllocationAtRevisionAsync(AllocationOf(2), stored, ct));

        release.SetResult();
        await blocker;

        Assert.Equal("changer gives up", (await Assert.ThrowsAsync<InvalidOperationException>(() => changer)).Message);
        Assert.Equal(AllocationInsert.Inserted, await neighbour);
        Assert.Equal(subnet, await StoredSubnetAsync());
        Assert.Equal([2], await StoredHostsAsync());
    }

    [Fact]
    public async Task Commit_actions_run_only_after_the_commit_and_rollback_actions_only_for_undone_runs_both_before_the_answer()
    {
        var events = new ConcurrentQueue<string>();
        var tasks = new Task<bool>[Units + 1];
        var (blocker, release) = await HoldTheWriterAsync();
        var runs = new int[Units + 1];
        for (var i = 1; i <= Units; i++)
        {
            var unit = i;
            tasks[unit] = Store.WriteAsync(_subnetId, async (session, ct) =>
            {
                var run = Interlocked.Increment(ref runs[unit]);
                await session.TryInsertAllocationAsync(AllocationOf(unit), ct);
                session.OnCommitted(() => events.Enqueue(
                    $"{unit}/{run} committed, visible {CountAllocationsOutside() >= Units - Units / 4}, answered {tasks[unit].IsCompleted}"));
                session.OnRolledBack(() => events.Enqueue($"{unit}/{run} rolled back, answered {tasks[unit].IsCompleted}"));
                return unit % 4 == 0 ? throw new InvalidOperationException("gives up") : true;
            });
        }

        release.SetResult();
        await blocker;
        await Task.WhenAll(tasks.Skip(1).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (var i = 1; i <= Units; i++)
        {
            var expected = Enumerable.Range(1, runs[i] - 1).Select(run => $"{i}/{run} rolled back, answered False").ToList();
            expected.Add(i % 4 == 0 ? $"{i}/{runs[i]} rolled back, answered False" : $"{i}/{runs[i]} committed, visible True, answered False");
            Assert.Equal(expected, events.Where(e => e.StartsWith($"{i}/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_never_runs_and_is_answered_as_cancelled()
    {
        var (blocker, release) = await HoldTheWriterAsync();
        using var cancellation = new CancellationTokenSource();
        var ran = false;
        var cancelled = Store.WriteAsync(_subnetId, async (session, ct) =>
        {
            ran = true;
            return await session.TryInsertAllocationAsync(AllocationOf(1), ct);
        }, cancellation.Token);
        var neighbour = Store.WriteAsync(_subnetId, (session, ct) => session.TryInsertAllocationAsync(AllocationOf(2), ct));
        await cancellation.CancelAsync();

        release.SetResult();
        await blocker;

        Assert.Equal(cancellation.Token, (await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled)).CancellationToken);
        Assert.True(await neighbour);
        Assert.False(ran);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.WriteAsync((_, _) => ValueTask.FromResult(true), cancellation.Token));
        Assert.Equal([2], await StoredHostsAsync());
    }

    [Fact]
    public async Task Requests_queued_alone_each_take_a_transaction_of_their_own_ahead_of_the_shared_batch()
    {
        var engine = EngineOf(Store);
        var (blocker, release) = await HoldTheWriterAsync();
        var transactionsBefore = engine.Transactions;
        var order = new ConcurrentQueue<string>();
        var shared = Enumerable.Range(1, Units).Select(i => Store.WriteAsync(_subnetId, async (session, ct) =>
        {
            order.Enqueue($"shared {engine.Transactions}");
            return await session.TryInsertAllocationAsync(AllocationOf(i), ct);
        })).ToList();
        var alone = Enumerable.Range(1, 3).Select(i => Store.WriteAloneAsync(async (session, ct) =>
        {
            order.Enqueue($"alone {engine.Transactions}");
            return await session.TryInsertAllocationAsync(AllocationOf(100 + i), ct);
        })).ToList();

        release.SetResult();
        await blocker;
        Assert.All(await Task.WhenAll(shared.Concat(alone)), Assert.True);

        // Three transactions of one request each, then one of the twelve others.
        var first = transactionsBefore + 1;
        Assert.Equal(
            [$"alone {first}", $"alone {first + 1}", $"alone {first + 2}", .. Enumerable.Repeat($"shared {first + 3}", Units)],
            order);
        Assert.Equal(4, engine.Transactions - transactionsBefore);
        Assert.Equal(Units + 3, (await StoredHostsAsync()).Count);
    }

    [Fact]
    public async Task Requests_naming_addresses_run_after_the_others_in_address_order_in_one_transaction()
    {
        var engine = EngineOf(Store);
        var (blocker, release) = await HoldTheWriterAsync();
        var transactionsBefore = engine.Transactions;
        var order = new ConcurrentQueue<string>();
        int[] named = [9, 200, 3, 77, 10, 2];
        var tasks = new List<Task<bool>>();
        for (var i = 0; i < named.Length; i++)
        {
            var host = named[i];
            tasks.Add(Store.WriteAsync(_subnetId, IpAddress.Parse($"10.20.0.{host}"), async (session, ct) =>
            {
                order.Enqueue($"named {host}");
                return await session.TryInsertAllocationAsync(AllocationOf(host), ct);
            }));
            var unnamed = 100 + i;
            tasks.Add(Store.WriteAsync(_subnetId, async (session, ct) =>
            {
                order.Enqueue($"unnamed {unnamed}");
                return await session.TryInsertAllocationAsync(AllocationOf(unnamed), ct);
            }));
        }

        release.SetResult();
        await blocker;
        Assert.All(await Task.WhenAll(tasks), Assert.True);

        // Numerically, not as text: 10.20.0.10 comes after 10.20.0.9.
        Assert.Equal(
            [.. Enumerable.Range(100, named.Length).Select(h => $"unnamed {h}"), .. named.Order().Select(h => $"named {h}")],
            order);
        Assert.Equal(1, engine.Transactions - transactionsBefore);
    }

    [Fact]
    public async Task Disposal_refuses_new_requests_and_waits_for_every_accepted_one()
    {
        var (blocker, release) = await HoldTheWriterAsync();
        var accepted = Enumerable.Range(1, Units).Select(i => Store.WriteAsync(_subnetId, (session, ct) =>
            session.TryInsertAllocationAsync(AllocationOf(i), ct))).ToList();

        var disposal = Store.DisposeAsync().AsTask();
        await Task.Delay(200);
        Assert.False(disposal.IsCompleted);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.WriteAsync((_, _) => ValueTask.FromResult(true)));
        Assert.All(accepted, t => Assert.False(t.IsCompleted));

        release.SetResult();
        await disposal;

        Assert.True(blocker.IsCompletedSuccessfully);
        Assert.All(accepted, t => Assert.True(t.IsCompletedSuccessfully && t.Result));
        Assert.Equal(Units, CountAllocationsOutside());
        _store = null;
    }

    /// <summary>Starts a request that holds the writer's only transaction until released.</summary>
    private Task<(Task<bool> Blocker, TaskCompletionSource Release)> HoldTheWriterAsync() => WriterHold.StartAsync(Store);

    private Allocation AllocationOf(int host) =>
        new() { SubnetId = _subnetId, Address = IpAddress.Parse($"10.20.0.{host}"), CreatedAt = DateTimeOffset.UtcNow };

    private async Task<Subnet> StoredSubnetAsync() =>
        await Store.ReadAsync((session, ct) => session.FindSubnetAsync(_subnetId, RowLock.None, ct)) ?? throw new InvalidOperationException("The subnet is gone.");

    private Task<List<int>> StoredHostsAsync() => Store.ReadAsync(async (session, ct) =>
    {
        var allocations = await session.ListAllocationsAsync(new AllocationQuery { SubnetId = _subnetId, Limit = 1000 }, ct);
        return allocations.Select(a => int.Parse(a.Address.ToString().Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    });
}
