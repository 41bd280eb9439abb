using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Errors;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql;
using Ipam.Subnets;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A specific allocation in a subnet this instance has loaded before: its insert checks the subnet's revision, and
/// goes with the question whether the address's last holder ended later in one round trip; then it commits. A release
/// sends the read of the revision with its delete (under a key, with the look for its key). A specific allocation under
/// a key looks for the key with its insert, and its record goes with the commit; one by strategy does not look for its
/// key at all (a retry's record fails the commit, and the run again looks).
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    [Fact]
    public async Task A_specific_allocation_in_a_loaded_subnet_checks_the_revision_and_asks_with_its_insert()
    {
        // Loads the subnet, as a running instance has done by the time a second request comes.
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.5") });
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.6") });
        root.Stop();

        // A connection the pool opens meanwhile is not the request's.
        var commands = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(c => !c.StartsWith("CONNECT", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(commands, c => c.Contains("FROM allocation_pools", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("gateway", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("SELECT revision FROM subnets", StringComparison.Ordinal));
        var insert = Assert.Single(commands, c => c.Contains(InsertIntoAllocations, StringComparison.Ordinal));
        Assert.Contains("'allocation.released'", insert, StringComparison.Ordinal);
        Assert.Contains("revision = $8", insert, StringComparison.Ordinal);
        Assert.True(commands.Count <= 2, $"{commands.Count} round trips: {string.Join(" | ", commands)}");
    }

    [Fact]
    public async Task A_release_in_a_loaded_subnet_reads_the_revision_with_its_delete()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.7") });
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.8") });
        await _allocations.ReleaseAsync(_subnetId, IpAddress.Parse("10.20.0.7"));
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _allocations.ReleaseAsync(_subnetId, IpAddress.Parse("10.20.0.8"));
        root.Stop();

        var commands = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(c => !c.StartsWith("CONNECT", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(commands, c => c.Contains("FROM allocation_pools", StringComparison.Ordinal));
        var delete = Assert.Single(commands, c => c.Contains("DELETE FROM allocations", StringComparison.Ordinal));
        Assert.Contains("SELECT revision FROM subnets", delete, StringComparison.Ordinal);
        Assert.True(commands.Count <= 2, $"{commands.Count} round trips: {string.Join(" | ", commands)}");
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM changes WHERE type = 'allocation.released'"));
    }

    [Fact]
    public async Task A_keyed_specific_allocation_looks_for_its_key_with_its_insert_and_sends_its_record_with_the_commit()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.9") });
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.10") }, idempotencyKey: "key-10");
        root.Stop();

        var commands = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(c => !c.StartsWith("CONNECT", StringComparison.Ordinal)).ToList();
        var record = Assert.Single(commands, c => c.Contains("INSERT INTO idempotency_keys", StringComparison.Ordinal));
        Assert.Contains("COMMIT", record, StringComparison.Ordinal);
        var insert = Assert.Single(commands, c => c.Contains(InsertIntoAllocations, StringComparison.Ordinal));
        Assert.Contains("SELECT fingerprint, response, created_at FROM idempotency_keys", insert, StringComparison.Ordinal);
        Assert.True(commands.Count <= 2, $"{commands.Count} round trips: {string.Join(" | ", commands)}");
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'key-10'"));

        var replayed = await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.10") }, idempotencyKey: "key-10");
        Assert.Equal(IpAddress.Parse("10.20.0.10"), Assert.Single(replayed).Address);
    }

    [Theory]
    [InlineData(AllocationStrategies.Random)]
    [InlineData(AllocationStrategies.Next)]
    public async Task A_keyed_allocation_by_strategy_sends_its_insert_and_record_with_the_commit_and_a_retry_finds_the_record(string strategy)
    {
        // Builds the subnet's index, as a running instance has done by the time a second request comes.
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Strategy = strategy });
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var made = Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Strategy = strategy }, idempotencyKey: "key-pick"));
        root.Stop();

        var commands = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(c => !c.StartsWith("CONNECT", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(commands, c => c.Contains("FROM idempotency_keys", StringComparison.Ordinal));
        var commit = Assert.Single(commands, c => c.Contains("INSERT INTO idempotency_keys", StringComparison.Ordinal));
        Assert.Contains(InsertIntoAllocations, commit, StringComparison.Ordinal);
        Assert.Contains("COMMIT", commit, StringComparison.Ordinal);
        Assert.True(commands.Count <= 1, $"{commands.Count} round trips: {string.Join(" | ", commands)}");

        // The retry's record fails its commit; the run again looks for the key first and answers with its record. A
        // request sent again is no contention between instances: inserts are still held back after it.
        var replayed = await _allocations.AllocateOrReplayAsync(_subnetId, new AllocationRequest { Strategy = strategy }, idempotencyKey: "key-pick");
        Assert.True(replayed.Replayed);
        Assert.Equal(made.Address, Assert.Single(replayed.Allocations).Address);
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'key-pick'"));
        Assert.True(_store.Writer.DefersInserts, $"inserts sent at once for {PostgresWriter.DeferralPause} after a retry");
        await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() =>
            _allocations.AllocateAsync(_subnetId, new AllocationRequest { Strategy = strategy, Owner = "another" }, idempotencyKey: "key-pick"));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    [Theory]
    [InlineData(AllocationStrategies.Random)]
    [InlineData(AllocationStrategies.Next)]
    public async Task A_keyed_allocation_by_strategy_retried_once_its_subnet_is_full_answers_with_its_record(string strategy)
    {
        var full = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.21.0.0/29") })).Subnet.Id;
        var made = Assert.Single(await _allocations.AllocateAsync(full, new AllocationRequest { Strategy = strategy }, idempotencyKey: "key-full"));
        await _allocations.AllocateAsync(full, new AllocationRequest { Count = 4 });
        await Assert.ThrowsAsync<PoolExhaustedException>(() => _allocations.AllocateAsync(full, new AllocationRequest { Strategy = strategy }));

        // The retry's pick is refused before any commit could meet its record: the refusal looks for the key first.
        var replayed = await _allocations.AllocateOrReplayAsync(full, new AllocationRequest { Strategy = strategy }, idempotencyKey: "key-full");

        Assert.True(replayed.Replayed);
        Assert.Equal(made.Address, Assert.Single(replayed.Allocations).Address);
        await Assert.ThrowsAsync<PoolExhaustedException>(() =>
            _allocations.AllocateAsync(full, new AllocationRequest { Strategy = strategy }, idempotencyKey: "key-new"));
    }

    [Fact]
    public async Task A_keyed_release_asks_for_the_revision_and_its_key_together_and_sends_its_record_with_the_commit()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.11") });
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = IpAddress.Parse("10.20.0.12") });
        await _allocations.ReleaseOrReplayAsync(_subnetId, IpAddress.Parse("10.20.0.11"), "release-11");
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        Assert.False(await _allocations.ReleaseOrReplayAsync(_subnetId, IpAddress.Parse("10.20.0.12"), "release-12"));
        root.Stop();

        var commands = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(c => !c.StartsWith("CONNECT", StringComparison.Ordinal)).ToList();
        var asked = Assert.Single(commands, c => c.Contains("FROM idempotency_keys", StringComparison.Ordinal));
        Assert.Contains("SELECT revision FROM subnets", asked, StringComparison.Ordinal);
        Assert.Contains(commands, c => c.Contains("INSERT INTO idempotency_keys", StringComparison.Ordinal) && c.Contains("COMMIT", StringComparison.Ordinal));
        Assert.True(commands.Count <= 3, $"{commands.Count} round trips: {string.Join(" | ", commands)}");
        Assert.True(await _allocations.ReleaseOrReplayAsync(_subnetId, IpAddress.Parse("10.20.0.12"), "release-12"));
    }
}
