using Ipam.Changes;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Errors;
using Ipam.SubnetPools;
using Ipam.Storage.Postgres;
using Ipam.Subnets;
using Ipam.Storage.Tests.GroupCommit;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Group commit on PostgreSQL: concurrent writes of one instance share transactions, yet each is answered
/// only after its commit, and a failing unit is undone alone. One transaction slot forces the sharing.
/// </summary>
public sealed partial class PostgresGroupCommitTests : IAsyncLifetime
{
    private const int Units = 40;

    private string _connectionString = "";
    private PostgresStore _store = null!;
    private FreeSpaceCache _cache = null!;
    private AllocationService _allocations = null!;
    private SubnetService _subnets = null!;
    private Guid _subnetId;

    public async ValueTask InitializeAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        _connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        _store = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, MaxConcurrentBatches = 1 });
        await _store.MigrateAsync();
        _cache = new FreeSpaceCache(TimeProvider.System);
        var changes = new ChangeLog(new AnonymousCaller(), TimeProvider.System);
        _allocations = new AllocationService(_store, _cache, changes, new SeededRandomSource(7), TimeProvider.System);
        _subnets = new SubnetService(_store, _cache, new PrefixAllocator(new PrefixIndexCache()), changes, TimeProvider.System);
        _subnetId = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.20.0.0/24") })).Subnet.Id;
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Concurrent_allocations_share_transactions_and_all_commit()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, Units).Select(_ => Task.Run(() => _allocations.AllocateAsync(_subnetId, new AllocationRequest()))));

        var addresses = results.Select(r => Assert.Single(r).Address).ToHashSet();
        Assert.Equal(Units, addresses.Count);
        Assert.Equal(Units, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.InRange(await TransactionsHoldingAllocationsAsync(), 1, Units - 1);
    }

    [Fact]
    public async Task Allocations_spread_over_subnets_share_transactions_and_a_deleted_subnet_is_not_found()
    {
        var subnets = new List<Guid>();
        for (var i = 1; i <= 8; i++)
        {
            subnets.Add((await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse($"10.30.{i}.0/24") })).Subnet.Id);
        }

        var deleted = subnets[^1];
        await _subnets.DeleteAsync(deleted, force: false);

        var tasks = Enumerable.Range(0, Units).Select(i => Task.Run(() => _allocations.AllocateAsync(subnets[i % subnets.Count], new AllocationRequest()))).ToList();

        for (var i = 0; i < Units; i++)
        {
            if (subnets[i % subnets.Count] == deleted)
            {
                Assert.Equal(deleted, (await Assert.ThrowsAsync<SubnetNotFoundException>(() => tasks[i])).SubnetId);
            }
            else
            {
                Assert.Equal(subnets[i % subnets.Count], Assert.Single(await tasks[i]).SubnetId);
            }
        }

        var expected = Units - Enumerable.Range(0, Units).Count(i => subnets[i % subnets.Count] == deleted);
        Assert.Equal(expected, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.InRange(await TransactionsHoldingAllocationsAsync(), 1, expected - 1);
    }

    [Fact]
    public async Task A_unit_failing_after_its_writes_is_undone_alone_while_its_neighbours_commit()
    {
        var tasks = Enumerable.Range(1, Units).Select(i => Task.Run(() => _store.WriteAsync(async (session, ct) =>
        {
            var inserted = await session.TryInsertAllocationAsync(AllocationOf(_subnetId, i), ct);
            return i % 3 == 0 ? throw new InvalidOperationException($"unit {i} gives up after writing") : inserted;
        }))).ToList();

        for (var i = 1; i <= Units; i++)
        {
            if (i % 3 == 0)
            {
                var e = await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[i - 1]);
                Assert.Contains($"unit {i} ", e.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(await tasks[i - 1]);
            }
        }

        Assert.Equal(Enumerable.Range(1, Units).Where(i => i % 3 != 0), await StoredHostsAsync());
        Assert.InRange(_store.GroupCommit.Transactions, 1, Units - 1);
        Assert.True(_store.GroupCommit.IsolatedRetries > 0, "a shared transaction spoiled by a failing unit is run again with savepoints");
    }

    /// <summary>
    /// A release in a shared transaction that another unit spoils is undone and run again, and the subnet's index,
    /// cached before the release and never shown its delete, stays: the run again costs no rebuild of it.
    /// </summary>
    [Fact]
    public async Task A_release_undone_with_its_shared_transaction_keeps_the_index_cached_before_it()
    {
        var allocated = new List<IpAddress>();
        for (var i = 0; i < 3; i++)
        {
            allocated.Add(Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest())).Address);
        }

        var index = _cache.Cached(_subnetId);
        Assert.NotNull(index);
        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        var (blocker, release) = await WriterHold.StartAsync(_store);
        var released = _allocations.ReleaseAsync(_subnetId, allocated[0]);
        var spoiler = _store.WriteAsync<bool>(async (session, ct) =>
        {
            await session.TryInsertAllocationAsync(AllocationOf(_subnetId, 250), ct);
            throw new InvalidOperationException("gives up after writing");
        });
        release.SetResult();
        Assert.True(await blocker);
        await released;
        await Assert.ThrowsAsync<InvalidOperationException>(() => spoiler);

        Assert.True(_store.GroupCommit.IsolatedRetries > retriesBefore, "the spoiled transaction ran again, with savepoints");
        Assert.Same(index, _cache.Cached(_subnetId));
        var next = Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Count = 1 })).Address;
        Assert.Same(index, _cache.Cached(_subnetId));
        lock (index.Gate)
        {
            Assert.Equal((UInt128)(253 - 3), index.Index.FreeCount);
            Assert.False(index.Index.IsFree(next));
        }

        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    /// <summary>
    /// A specific allocation in a shared transaction that another unit spoils takes its address out of the index, has
    /// it back when the transaction is undone, and takes it again when run again: the index stays, exact.
    /// </summary>
    [Fact]
    public async Task A_specific_allocation_undone_with_its_shared_transaction_gives_its_address_back_to_the_index()
    {
        Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest()));
        var index = _cache.Cached(_subnetId);
        Assert.NotNull(index);
        var named = Host(200);
        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        var (blocker, release) = await WriterHold.StartAsync(_store);
        var specific = _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = named });
        var spoiler = _store.WriteAsync<bool>(async (session, ct) =>
        {
            await session.TryInsertAllocationAsync(AllocationOf(_subnetId, 250), ct);
            throw new InvalidOperationException("gives up after writing");
        });
        release.SetResult();
        Assert.True(await blocker);
        Assert.Equal(named, Assert.Single(await specific).Address);
        await Assert.ThrowsAsync<InvalidOperationException>(() => spoiler);

        Assert.True(_store.GroupCommit.IsolatedRetries > retriesBefore, "the spoiled transaction ran again, with savepoints");
        Assert.Same(index, _cache.Cached(_subnetId));
        var next = Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest())).Address;
        Assert.Same(index, _cache.Cached(_subnetId));
        lock (index.Gate)
        {
            Assert.Equal((UInt128)(253 - 3), index.Index.FreeCount);
            Assert.False(index.Index.IsFree(named));
            Assert.False(index.Index.IsFree(next));
        }

        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    [Fact]
    public async Task A_database_error_in_one_unit_does_not_fail_its_neighbours()
    {
        var missingSubnet = Guid.NewGuid();
        var tasks = Enumerable.Range(1, Units).Select(i => Task.Run(() => _store.WriteAsync((session, ct) =>
            session.TryInsertAllocationAsync(AllocationOf(i % 4 == 0 ? missingSubnet : _subnetId, i), ct)))).ToList();

        for (var i = 1; i <= Units; i++)
        {
            if (i % 4 == 0)
            {
                Assert.Equal(missingSubnet, (await Assert.ThrowsAsync<SubnetNotFoundException>(() => tasks[i - 1])).SubnetId);
            }
            else
            {
                Assert.True(await tasks[i - 1]);
            }
        }

        Assert.Equal(Enumerable.Range(1, Units).Where(i => i % 4 != 0), await StoredHostsAsync());
        Assert.InRange(_store.GroupCommit.Transactions, 1, Units - 1);
    }

    [Fact]
    public async Task Refusals_that_changed_nothing_leave_their_neighbours_in_the_shared_transaction()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(200), Owner = "first" });

        var tasks = Enumerable.Range(1, Units).Select(i => Task.Run(() => _allocations.AllocateAsync(_subnetId,
            new AllocationRequest { Address = Host(i % 2 == 0 ? 200 : 10 + i), Owner = $"unit-{i}" }))).ToList();

        for (var i = 1; i <= Units; i++)
        {
            if (i % 2 == 0)
            {
                Assert.Contains("'first'", (await Assert.ThrowsAsync<AddressInUseException>(() => tasks[i - 1])).Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(Host(10 + i), Assert.Single(await tasks[i - 1]).Address);
            }
        }

        Assert.Equal(Enumerable.Range(1, Units).Where(i => i % 2 != 0).Select(i => 10 + i).Append(200), await StoredHostsAsync());
        Assert.Equal(0, _store.GroupCommit.IsolatedRetries);
    }

    [Fact]
    public async Task Disposing_the_store_answers_every_accepted_write_and_refuses_new_ones()
    {
        var accepted = Enumerable.Range(1, Units).Select(i => _store.WriteAsync((session, ct) =>
            session.TryInsertAllocationAsync(AllocationOf(_subnetId, i), ct))).ToList();

        await _store.DisposeAsync();

        // A write is answered when its transaction ends; its caller's task completes on the thread pool just
        // after, so the test waits for that (a write left unanswered would hang, hence the bound).
        await Task.WhenAll(accepted.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromMinutes(1));

        // Every write inserts a distinct address: false would mean its row was there already, i.e. it ran twice.
        var answers = accepted.Select(t => t.IsCompletedSuccessfully ? t.Result.ToString() : t.Status.ToString()).ToList();
        Assert.True(answers.All(a => a == bool.TrueString),
            $"answers: {string.Join(' ', answers)}; transactions {_store.GroupCommit.Transactions}, isolated retries "
            + $"{_store.GroupCommit.IsolatedRetries}; rows (host:xmin): {await RowsWithTransactionsAsync()}");
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.WriteAsync((_, _) => ValueTask.FromResult(true)));
        Assert.Equal(Units, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    private static IpAddress Host(int host) => IpAddress.Parse($"10.20.0.{host}");

    private static Allocation AllocationOf(Guid subnetId, int host) =>
        new() { SubnetId = subnetId, Address = Host(host), CreatedAt = DateTimeOffset.UtcNow };

    private async Task<List<int>> StoredHostsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT get_byte(ip, 15) FROM allocations ORDER BY ip", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var hosts = new List<int>();
        while (await reader.ReadAsync())
        {
            hosts.Add(reader.GetInt32(0));
        }

        return hosts;
    }

    private async Task<string> RowsWithTransactionsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(get_byte(ip, 15) || ':' || xmin::text, ' ' ORDER BY ip) FROM allocations", connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "none";
    }

    /// <summary>Rows written by one transaction share its id (xmin): fewer ids than rows means shared commits.</summary>
    private Task<long> TransactionsHoldingAllocationsAsync() => ScalarAsync("SELECT count(DISTINCT xmin::text) FROM allocations");

    private Task<long> ScalarAsync(string sql) => PostgresScalar.QueryAsync(_connectionString, sql);
}
