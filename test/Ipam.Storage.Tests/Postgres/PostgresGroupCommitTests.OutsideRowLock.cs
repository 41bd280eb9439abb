using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Storage.Tests.GroupCommit;
using Ipam.Subnets;
using Ipam.Errors;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A subnet's row locked by a session outside Ipam (<c>SELECT … FOR UPDATE</c> in a transaction left open) while a
/// batch of the instance's one transaction slot names that subnet and others: the batch's wait for the row runs out,
/// the requests of the other subnets commit while the lock is held, and the locked subnet's request once it is let go.
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    /// <summary>Only bounds a hang; never the thing tested.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_batch_naming_a_subnet_locked_outside_commits_the_other_subnets_while_the_lock_is_held()
    {
        var others = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            others.Add((await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse($"10.40.{i}.0/24") })).Subnet.Id);
        }

        // Every subnet cached with its index, as on a running instance: the requests below queue at once, and make one batch.
        foreach (var subnet in others.Prepend(_subnetId))
        {
            await _allocations.AllocateAsync(subnet, new AllocationRequest());
        }

        await using var outside = await LockOutsideAsync(_subnetId);
        // A caller with a deadline, as every request has: it waits for the lock for as long as that lasts.
        using var deadline = new CancellationTokenSource(Guard);
        var (blocker, release) = await WriterHold.StartAsync(_store);
        var waiting = _allocations.AllocateAsync(_subnetId, new AllocationRequest { Owner = "waits" }, cancellationToken: deadline.Token);
        var committed = Enumerable.Range(0, Units).Select(i => _allocations.AllocateAsync(others[i % others.Count], new AllocationRequest())).ToList();
        release.SetResult();
        Assert.True(await blocker);

        var allocated = await Task.WhenAll(committed).WaitAsync(Guard);
        Assert.Equal(Units, allocated.Select(a => Assert.Single(a).Address).Distinct().Count());
        Assert.False(waiting.IsCompleted, "the locked subnet's request was answered while its row was locked");

        await outside.Transaction.RollbackAsync();
        Assert.Equal(_subnetId, Assert.Single(await waiting.WaitAsync(Guard)).SubnetId);
        Assert.Equal(Units + others.Count + 2, await ScalarAsync("SELECT count(*) FROM allocations"));
    }

    /// <summary>
    /// Each way a write transaction starts on a subnet's row (a release reads its revision on a prepared statement, an
    /// allocation of a given address too, a rename locks the row for update through Dapper) waits for a row locked from
    /// outside no longer than its lock wait at a time: the instance commits another subnet's allocation while the work
    /// waits, the work gives up at its deadline, and no session waits for the row after that, so nothing of it commits.
    /// </summary>
    [Theory]
    [InlineData("release")]
    [InlineData("given address")]
    [InlineData("rename")]
    public async Task Work_on_a_subnet_locked_outside_waits_until_its_deadline_while_another_subnet_commits(string work)
    {
        var other = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.41.0.0/24") })).Subnet.Id;
        var held = Assert.Single(await _allocations.AllocateAsync(_subnetId, new AllocationRequest())).Address;
        Assert.Single(await _allocations.AllocateAsync(other, new AllocationRequest()));

        Task running;
        await using (var outside = await LockOutsideAsync(_subnetId))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(4));
            running = work switch
            {
                "release" => _allocations.ReleaseAsync(_subnetId, held, deadline.Token),
                "given address" => _allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(99) }, cancellationToken: deadline.Token),
                _ => _subnets.UpdateAsync(_subnetId, new UpdateSubnetCommand { Name = "renamed" }, deadline.Token),
            };

            Assert.Single(await _allocations.AllocateAsync(other, new AllocationRequest()).WaitAsync(Guard));
            Assert.False(running.IsCompleted, "the work on the locked subnet was answered before the other subnet's allocation");

            var failure = await Assert.ThrowsAnyAsync<Exception>(() => running.WaitAsync(Guard));
            Assert.True(failure is OperationCanceledException or StoreUnavailableException { OutcomeUnknown: true }, failure.ToString());
            await Eventually.HoldsAsync(
                async () => await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0,
                "no session waiting for the locked row");
            await outside.Transaction.RollbackAsync();
        }

        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{_subnetId}'"));
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM allocations WHERE subnet_id = '{_subnetId}' AND ip = decode('{Convert.ToHexString(held.ToKey())}', 'hex')"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM subnets WHERE name = 'renamed'"));
    }

    /// <summary>The subnet's row locked for update by a session outside Ipam, in a transaction left open until rolled back.</summary>
    private async Task<OutsideTransaction> LockOutsideAsync(Guid subnetId)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var lockRow = new NpgsqlCommand("SELECT * FROM subnets WHERE id = $1 FOR UPDATE", connection, transaction)
        {
            Parameters = { new() { Value = subnetId } },
        };
        Assert.NotNull(await lockRow.ExecuteScalarAsync());
        return new OutsideTransaction(connection, transaction);
    }

    private sealed record OutsideTransaction(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
