using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Storage.Sql;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A specific allocation in a subnet this instance has loaded before: its insert checks the subnet's revision, and
/// goes with the question whether the address's last holder ended later in one round trip; then it commits. A release
/// sends the read of the revision with its delete (under a key, with the look for its key). A specific allocation under
/// a key looks for the key with its insert, and its record goes with the commit.
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
