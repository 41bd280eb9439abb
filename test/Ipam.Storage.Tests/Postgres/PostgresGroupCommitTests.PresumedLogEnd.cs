using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Changes;
using Ipam.Errors;
using Ipam.Storage.Postgres;
using Ipam.SubnetPools;
using Ipam.Storage.Sql;
using Ipam.Subnets;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A unit that acts on its indexes as caught up to the follower's position without reading the log, and the commit
/// that checks nothing was appended since (<see cref="SqlText.ExpectLogEnd"/>): a lone allocation is one round trip, and a
/// change another instance committed meanwhile makes the transaction run again, reading, so that its answer is
/// the one a read would have given.
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    private static readonly string ExpectLogEnd = PostgresSql.Text.ExpectLogEnd!;

    [Fact]
    public async Task A_lone_allocation_is_one_round_trip_that_checks_the_log_end_with_its_commit()
    {
        // Builds the index, caches the subnet and brings the follower to its own last commit.
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());

        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        root.Stop();

        var texts = RoundTrips(trace, root);
        Assert.True(texts.Count == 1, string.Join("\n----\n", texts));
        var roundTrip = texts[0];
        Assert.Contains(InsertIntoAllocations, roundTrip, StringComparison.Ordinal);
        Assert.Contains(ExpectLogEnd, roundTrip, StringComparison.Ordinal);
        // Its one change goes as values of their own: unnest's arrays cost the server more than the row.
        Assert.Contains(PostgresSql.Text.AppendChangeReturning!, roundTrip, StringComparison.Ordinal);
        Assert.DoesNotContain("unnest", roundTrip, StringComparison.Ordinal);
        Assert.Contains("COMMIT", roundTrip, StringComparison.Ordinal);
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM changes WHERE type = 'allocation.created'"));
        Assert.Equal(0, _store.GroupCommit.IsolatedRetries);
    }

    [Fact]
    public async Task A_subnet_this_instance_creates_costs_the_next_allocation_a_read_at_most_and_no_failed_check()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var retriesBefore = _store.GroupCommit.IsolatedRetries;

        // Its change (no address) lands past the follower's position, where this instance is not told.
        await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.22.0.0/24") });
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        root.Stop();

        Assert.Equal(retriesBefore, _store.GroupCommit.IsolatedRetries);
        Assert.True(_store.Writer.DefersInserts, "no check failed, so nothing paused");
        var texts = RoundTrips(trace, root);
        Assert.True(texts.Count == 1 && texts[0].Contains(ExpectLogEnd, StringComparison.Ordinal), string.Join("\n----\n", texts));
    }

    [Fact]
    public async Task An_allocation_this_instance_commits_at_a_position_it_is_not_told_is_read_before_the_next_presumes()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var retriesBefore = _store.GroupCommit.IsolatedRetries;

        // A write of this instance that presumes nothing (as a transaction run with savepoints, or an expiry sweep):
        // its allocation change lands past the follower's position without the follower being told.
        await _store.WriteAsync(_subnetId, async (session, ct) =>
        {
            var allocation = AllocationOf(_subnetId, 250);
            Assert.True(await session.TryInsertAllocationAsync(allocation, ct));
            session.RecordChange(new Change
            {
                Type = ChangeTypes.AllocationCreated, At = allocation.CreatedAt, Actor = "test", SubnetId = _subnetId, Address = allocation.Address,
            });
            return true;
        });

        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());

        Assert.Equal(retriesBefore, _store.GroupCommit.IsolatedRetries);
        Assert.True(_store.Writer.DefersInserts, "no check failed, so nothing paused");
        Assert.Equal(5, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    [Fact]
    public async Task An_allocation_another_instance_made_since_the_last_look_is_read_with_the_commit_of_a_random_allocation_here()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        var taken = Host(250);
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            await OtherInstance(other).AllocateAsync(_subnetId, new AllocationRequest { Address = taken });
        }

        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var allocated = Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest())).Address;
        root.Stop();

        var texts = RoundTrips(trace, root);
        Assert.True(texts.Count == 1 && texts[0].Contains(ExpectLogEnd, StringComparison.Ordinal), string.Join("\n----\n", texts));
        Assert.NotEqual(taken, allocated);
        Assert.Equal(retriesBefore, _store.GroupCommit.IsolatedRetries);
        Assert.True(_store.Writer.DefersInserts, "no check failed, so nothing paused");
        var space = _cache.Cached(_subnetId);
        Assert.NotNull(space);
        lock (space.Gate)
        {
            Assert.False(space.Index.IsFree(taken), "the other instance's allocation, read with the commit, is in this instance's index");
        }

        Assert.Equal(4, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    [Fact]
    public async Task An_allocation_another_instance_updated_since_the_last_look_passes_the_check_of_a_random_allocation_here()
    {
        var held = Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest())).Address;
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            await OtherInstance(other).UpdateAsync(_subnetId, held, new AllocationUpdate { Description = "renewed elsewhere" });
        }

        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        root.Stop();

        var texts = RoundTrips(trace, root);
        Assert.True(texts.Count == 1 && texts[0].Contains(ExpectLogEnd, StringComparison.Ordinal), string.Join("\n----\n", texts));
        Assert.Equal(retriesBefore, _store.GroupCommit.IsolatedRetries);
        Assert.True(_store.Writer.DefersInserts, "an update frees no address, so the check passed and nothing paused");
        Assert.Equal("renewed elsewhere", (await _allocations.GetAsync(_subnetId, held)).Description);
    }

    [Fact]
    public async Task A_random_pick_that_meets_an_address_another_instance_took_unseen_runs_again_and_pauses_nothing()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var small = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.23.0.0/29") })).Subnet.Id;
        // Four of its five addresses here: this instance's index keeps one free, which the other instance then takes.
        for (var i = 0; i < 4; i++)
        {
            await _allocations.AllocateAsync(small, new AllocationRequest());
        }

        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            await OtherInstance(other).AllocateAsync(small, new AllocationRequest());
        }

        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        await Assert.ThrowsAsync<PoolExhaustedException>(() => _allocations.AllocateAsync(small, new AllocationRequest()));

        Assert.True(_store.GroupCommit.IsolatedRetries > retriesBefore, "the pick met the other's address, and the transaction ran again, reading");
        Assert.True(_store.Writer.DefersInserts, "a lone random pick that met an address its stale index had free pauses nothing");
        Assert.Equal(1, await RoundTripsOfAsync(() => _allocations.AllocateAsync(_subnetId, new AllocationRequest())));
    }

    /// <summary>
    /// The run again after a pick met another instance's allocation keeps the index: the pick is returned to it and
    /// the read of the log takes out what the other instance took, instead of a rebuild that reads every allocation of
    /// the subnet (a /16 near full has tens of thousands).
    /// </summary>
    [Fact]
    public async Task A_random_pick_that_meets_an_address_another_instance_took_unseen_keeps_the_index_and_reads_only_the_log()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var small = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.23.0.0/29") })).Subnet.Id;
        var ours = new List<IpAddress>();
        for (var i = 0; i < 4; i++)
        {
            ours.Add(Assert.Single(await _allocations.AllocateAsync(small, new AllocationRequest())).Address);
        }

        // The one address this instance's index has free is taken elsewhere, and one of ours is released there.
        IpAddress taken;
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            var otherAllocations = OtherInstance(other);
            taken = Assert.Single(await otherAllocations.AllocateAsync(small, new AllocationRequest())).Address;
            await otherAllocations.ReleaseAsync(small, ours[0]);
        }

        var index = _cache.Cached(small);
        Assert.NotNull(index);
        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var allocated = Assert.Single(await _allocations.AllocateAsync(small, new AllocationRequest())).Address;
        root.Stop();

        Assert.True(_store.GroupCommit.IsolatedRetries > retriesBefore, "the pick met the other's address, and the transaction ran again, reading");
        Assert.Equal(ours[0], allocated);
        var texts = RoundTrips(trace, root);
        Assert.DoesNotContain(texts, t => t.Contains("SELECT ip FROM allocations", StringComparison.Ordinal));
        Assert.Same(index, _cache.Cached(small));
        lock (index.Gate)
        {
            Assert.False(index.Index.IsFree(taken), "the other instance's allocation, read in the run again");
            Assert.Equal(UInt128.Zero, index.Index.FreeCount);
        }

        await Assert.ThrowsAsync<PoolExhaustedException>(() => _allocations.AllocateAsync(small, new AllocationRequest()));
        Assert.Equal(5, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{small}'"));
    }

    [Fact]
    public async Task Random_allocations_taking_turns_with_another_instance_are_one_round_trip_each()
    {
        await using var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, MaxConcurrentBatches = 1 });
        var otherAllocations = OtherInstance(other);
        for (var i = 0; i < 3; i++)
        {
            await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
            await otherAllocations.AllocateAsync(_subnetId, new AllocationRequest());
        }

        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        var roundTrips = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            roundTrips.Add(await RoundTripsOfAsync(() => _allocations.AllocateAsync(_subnetId, new AllocationRequest())));
            await otherAllocations.AllocateAsync(_subnetId, new AllocationRequest());
        }

        Assert.Equal([1, 1, 1, 1, 1], roundTrips);
        Assert.Equal(retriesBefore, _store.GroupCommit.IsolatedRetries);
        Assert.Equal(16, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    [Fact]
    public async Task Random_allocations_alone_in_a_small_subnet_presume_while_another_instance_allocates_there()
    {
        // 61 addresses free: fewer than ChangeLogFollower.SpreadPickMargin times the one the other instance takes per
        // turn, but more than LoneSpreadPickMargin times, and each request here runs in a transaction of its own.
        var (small, roundTrips) = await RandomPicksInASmallSubnetAsync(Cidr.Parse("10.24.0.0/26"), otherAllocatesHere: true);

        // Each presumes, and its commit reads the other's allocation.
        Assert.Equal([1, 1, 1, 1], roundTrips);
        Assert.Equal(10, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{small}'"));
    }

    [Fact]
    public async Task Random_allocations_alone_in_a_subnet_with_few_addresses_free_read_first_while_another_instance_allocates()
    {
        // A /28's pool holds 13 addresses; after 3 here, 10 are free. The first pick presumes (the last look found no other
        // writer); the second still has 8 free by its index, LoneSpreadPickMargin times the other's one allocation per
        // turn; from the third on, fewer: each reads first.
        var (small, roundTrips) = await RandomPicksInASmallSubnetAsync(Cidr.Parse("10.26.0.0/28"), otherAllocatesHere: true, allocatedFirst: 3);

        Assert.Equal([1, 1, 2, 2], roundTrips);
        Assert.Equal(11, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{small}'"));
    }

    [Fact]
    public async Task More_allocations_of_another_instance_than_a_commit_reads_are_read_before_presuming_again()
    {
        var wide = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.23.0.0/21") })).Subnet.Id;
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            await OtherInstance(other).AllocateAsync(wide, new AllocationRequest { Count = 1500 });
        }

        var roundTrips = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            roundTrips.Add(await RoundTripsOfAsync(() => _allocations.AllocateAsync(_subnetId, new AllocationRequest())));
        }

        // The first commit reads a page of them, not all: the second allocation reads the log instead of presuming (three
        // round trips: two pages, then the insert with the commit). The 1,500 allocations the other made in one look
        // went to another subnet, where no pick here can meet them: the third and fourth are one round trip again.
        Assert.Equal([1, 3, 1, 1], roundTrips);
    }

    [Fact]
    public async Task Random_allocations_in_a_small_subnet_presume_while_another_instance_allocates_only_elsewhere()
    {
        var (small, roundTrips) = await RandomPicksInASmallSubnetAsync(Cidr.Parse("10.25.0.0/26"), otherAllocatesHere: false);

        // 61 addresses free here would be too few beside one allocation of the other's per turn in this subnet (the test
        // above), but the other's allocations are all in another subnet: each pick here presumes, and its commit reads
        // the other's allocation.
        Assert.Equal([1, 1, 1, 1], roundTrips);
        Assert.Equal(6, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{small}'"));
    }

    [Fact]
    public async Task Next_allocations_are_one_round_trip_again_once_another_instance_stops_allocating()
    {
        var next = new AllocationRequest { Strategy = AllocationStrategies.Next };
        await _allocations.AllocateAsync(_subnetId, next);
        await _allocations.AllocateAsync(_subnetId, next);
        await using var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString });
        var otherAllocations = OtherInstance(other);

        // Addresses far from the lowest, so that no pick here meets them: the first is read with a commit here, which
        // shows that another instance allocates, so the next allocation here reads the log and finds the second.
        await otherAllocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(250) });
        await _allocations.AllocateAsync(_subnetId, next);
        await otherAllocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(251) });
        var roundTrips = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            roundTrips.Add(await RoundTripsOfAsync(() => _allocations.AllocateAsync(_subnetId, next)));
        }

        // The first reads the other's second allocation and presumes at its commit, having caught up; the second reads
        // once more (the other might still be allocating) and finds nothing; from the third on, one round trip.
        Assert.True(roundTrips[0] == 2 && roundTrips[1] == 2 && roundTrips[2] == 1 && roundTrips[3] == 1, string.Join(", ", roundTrips));
        Assert.Equal(9, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(Host(9), Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address);
    }

    [Fact]
    public async Task Next_allocations_presume_while_another_instance_allocates_only_in_other_subnets()
    {
        var next = new AllocationRequest { Strategy = AllocationStrategies.Next };
        var elsewhere = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.26.0.0/24") })).Subnet.Id;
        await _allocations.AllocateAsync(_subnetId, next);
        await _allocations.AllocateAsync(_subnetId, next);
        await using var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, MaxConcurrentBatches = 1 });
        var otherAllocations = OtherInstance(other);
        var roundTrips = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            await otherAllocations.AllocateAsync(elsewhere, next);
            roundTrips.Add(await RoundTripsOfAsync(() => _allocations.AllocateAsync(_subnetId, next)));
        }

        // Each commit here reads the other's allocation, in another subnet, where no lowest free address of this one lies.
        Assert.Equal([1, 1, 1, 1], roundTrips);
        Assert.Equal(Host(8), Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address);
        Assert.Equal(4, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{elsewhere}'"));
    }

    [Fact]
    public async Task A_release_through_another_instance_after_the_last_look_is_the_next_address_here()
    {
        var next = new AllocationRequest { Strategy = AllocationStrategies.Next };
        var first = Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address;
        for (var i = 0; i < 4; i++)
        {
            await _allocations.AllocateAsync(_subnetId, next);
        }

        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            await OtherInstance(other).ReleaseAsync(_subnetId, first);
        }

        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        Assert.Equal(first, Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address);
        Assert.True(_store.GroupCommit.IsolatedRetries > retriesBefore, "the presumed transaction ran again, reading the log");
        Assert.False(_store.Writer.DefersInserts, $"after that, the log end is not presumed for {PostgresWriter.DeferralPause}");
        Assert.Equal(5, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    [Fact]
    public async Task A_full_subnet_reads_the_log_before_refusing_and_takes_what_another_instance_released_without_running_again()
    {
        var small = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.21.0.0/29") })).Subnet;
        var taken = new List<IpAddress>();
        for (var i = 0; i < 5; i++)
        {
            taken.Add(Assert.Single(await _allocations.AllocateAsync(small.Id, new AllocationRequest())).Address);
        }

        await Assert.ThrowsAsync<PoolExhaustedException>(() => _allocations.AllocateAsync(small.Id, new AllocationRequest()));
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            await OtherInstance(other).ReleaseAsync(small.Id, taken[2]);
        }

        var retriesBefore = _store.GroupCommit.IsolatedRetries;
        Assert.Equal(taken[2], Assert.Single(await _allocations.AllocateAsync(small.Id, new AllocationRequest())).Address);
        Assert.Equal(retriesBefore, _store.GroupCommit.IsolatedRetries);
        Assert.True(_store.Writer.DefersInserts, "the read withdrew the presumption, so no check failed");
    }

    [Fact]
    public async Task A_subnet_updated_through_another_instance_fails_the_held_revision_and_the_request_runs_on_the_new_subnet()
    {
        var next = new AllocationRequest { Strategy = AllocationStrategies.Next };
        await _allocations.AllocateAsync(_subnetId, next);
        await _allocations.AllocateAsync(_subnetId, next);

        // Another instance moves the pool to the top of the subnet; this one's cached subnet still has the old pool.
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            var otherSubnets = new SubnetService(other, new FreeSpaceCache(TimeProvider.System), new PrefixAllocator(new PrefixIndexCache()),
                new ChangeLog(new AnonymousCaller(), TimeProvider.System), TimeProvider.System);
            await otherSubnets.UpdateAsync(_subnetId, new UpdateSubnetCommand { AllocationPools = new List<AllocationPoolBounds> { new(Host(200), Host(254)) } });
        }

        var allocated = Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address;
        Assert.Equal(Host(200), allocated);
    }

    /// <summary>
    /// Two allocations here in a new subnet of <paramref name="cidr"/>, then four turns of one allocation of another
    /// instance's (in that subnet, or in the fixture's) and one random allocation here in it; the round trips of the
    /// four here.
    /// </summary>
    private async Task<(Guid Subnet, List<int> RoundTrips)> RandomPicksInASmallSubnetAsync(Cidr cidr, bool otherAllocatesHere, int allocatedFirst = 2)
    {
        var small = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = cidr })).Subnet.Id;
        await using var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, MaxConcurrentBatches = 1 });
        var otherAllocations = OtherInstance(other);
        for (var i = 0; i < allocatedFirst; i++)
        {
            await _allocations.AllocateAsync(small, new AllocationRequest());
        }

        var roundTrips = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            await otherAllocations.AllocateAsync(otherAllocatesHere ? small : _subnetId, new AllocationRequest());
            roundTrips.Add(await RoundTripsOfAsync(() => _allocations.AllocateAsync(small, new AllocationRequest())));
        }

        return (small, roundTrips);
    }

    /// <summary>How many round trips <paramref name="work"/> takes (see <see cref="RoundTrips"/>).</summary>
    private static async Task<int> RoundTripsOfAsync(Func<Task> work)
    {
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await work();
        root.Stop();
        return RoundTrips(trace, root).Count;
    }

    /// <summary>The statements (a batch is one) sent under <paramref name="root"/>; opening a physical connection for the pool is traced too, and left out.</summary>
    private static List<string> RoundTrips(NpgsqlCommandTrace trace, Activity root) =>
        [.. trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(t => !t.StartsWith("CONNECT", StringComparison.Ordinal))];

    private AllocationService OtherInstance(PostgresStore other) =>
        new(other, new FreeSpaceCache(TimeProvider.System), new ChangeLog(new AnonymousCaller(), TimeProvider.System), new SeededRandomSource(11), TimeProvider.System);
}
