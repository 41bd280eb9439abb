using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Changes;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A <c>next</c> pick that meets an address another instance's transaction was inserting: that transaction took a run
/// of addresses, and the pick reads the log once, after the other commits, instead of trying each of them in turn.
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    private const int OthersRun = 20;
    private const string ReadOfAllocationChanges = "SELECT seq, type, at, ip_address, subnet_id FROM changes";

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_next_pick_that_meets_a_run_another_instance_was_inserting_reads_the_log_once_and_takes_the_addresses_after_it(int count)
    {
        var next = new AllocationRequest { Strategy = AllocationStrategies.Next };

        // Waits as long as the test needs for the other's row locks: the point is what happens once they are released.
        await using var mine = new PostgresStore(new PostgresStoreOptions
        {
            ConnectionString = _connectionString, MaxConcurrentBatches = 1, LockWait = TimeSpan.FromMinutes(2),
        });
        var here = OtherInstance(mine);
        await using var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString });
        await here.AllocateAsync(_subnetId, next);
        await here.AllocateAsync(_subnetId, next);

        // The other instance is seen allocating in the subnet, so the next pick here reads the log first (with its insert).
        await OtherInstance(other).AllocateAsync(_subnetId, new AllocationRequest { Address = Host(250) });
        var lowest = Assert.Single(await here.AllocateAsync(_subnetId, next)).Address;
        var run = Enumerable.Range(1, OthersRun).Select(i => Host(HostOf(lowest) + i)).ToList();

        // The other instance inserts the next addresses and holds its transaction open.
        var inserted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var othersRun = other.WriteAsync(_subnetId, async (session, ct) =>
        {
            foreach (var address in run)
            {
                var allocation = new Allocation { SubnetId = _subnetId, Address = address, CreatedAt = DateTimeOffset.UtcNow };
                Assert.True(await session.TryInsertAllocationAsync(allocation, ct));
                session.RecordChange(new Change
                {
                    Type = ChangeTypes.AllocationCreated, At = allocation.CreatedAt, Actor = "other", SubnetId = _subnetId, Address = address,
                });
            }

            inserted.SetResult();
            await commit.Task.WaitAsync(ct);
            return true;
        });
        await inserted.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var retriesBefore = mine.GroupCommit.IsolatedRetries;
        IReadOnlyList<Allocation> allocated = [];
        var roundTrips = RoundTripsOfAsync(async () => allocated = await here.AllocateAsync(_subnetId, next with { Count = count }));
        await WaitForALockWaitAsync();
        commit.SetResult();
        Assert.True(await othersRun);

        var trips = await roundTrips;
        var after = Enumerable.Range(1, count).Select(i => Host(HostOf(run[^1]) + i)).ToList();
        Assert.Equal(after, allocated.Select(a => a.Address).Order());
        // A single pick sends its insert with the read of the log, a bulk one reads first; then the insert that met the run,
        // one read of the log, the inserts of the addresses after the run, and the commit: not one insert per address of
        // the run.
        Assert.True(trips <= count + 4, $"{trips} round trips");
        Assert.Equal(retriesBefore, mine.GroupCommit.IsolatedRetries);
        Assert.Equal(4 + OthersRun + count, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(Host(HostOf(run[^1]) + count + 1), Assert.Single(await here.AllocateAsync(_subnetId, next)).Address);
    }

    [Fact]
    public async Task A_next_pick_that_meets_an_address_the_read_sent_with_it_brought_picks_again_without_reading_again()
    {
        var next = new AllocationRequest { Strategy = AllocationStrategies.Next };
        await using var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString });
        var otherAllocations = OtherInstance(other);
        await _allocations.AllocateAsync(_subnetId, next);
        await _allocations.AllocateAsync(_subnetId, next);
        await otherAllocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(250) });
        var lowest = Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address;

        // Committed before the next pick here, which reads the log first (the other allocates here) and picks the same.
        var taken = Assert.Single(await otherAllocations.AllocateAsync(_subnetId, next)).Address;
        Assert.Equal(Host(HostOf(lowest) + 1), taken);
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var allocated = Assert.Single(await _allocations.AllocateAsync(_subnetId, next)).Address;
        root.Stop();

        Assert.Equal(Host(HostOf(taken) + 1), allocated);
        // Its read and insert, the insert of the address after the other's, the commit: no read between.
        var texts = RoundTrips(trace, root);
        Assert.True(texts.Count == 3 && texts.Count(t => t.Contains(ReadOfAllocationChanges, StringComparison.Ordinal)) == 1, string.Join("\n----\n", texts));
    }

    private static int HostOf(IpAddress address) => int.Parse(address.ToString().Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Until a statement of this database waits for a row lock (the pick's insert, for the other's row).</summary>
    private async Task WaitForALockWaitAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no insert waited for the other instance's row");
            await Task.Delay(10);
        }
    }
}
