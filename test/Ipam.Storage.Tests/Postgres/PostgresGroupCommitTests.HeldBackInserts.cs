using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Allocation inserts that a shared transaction holds back and sends with its commit (see <c>DeferredInserts</c>):
/// one round trip for a batch's inserts, and the transaction run again with savepoints when one of them meets
/// an address another writer took.
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    private const string InsertIntoAllocations = "INSERT INTO allocations";

    [Fact]
    public async Task Strategy_allocations_sharing_a_transaction_send_their_inserts_with_its_commit()
    {
        // Builds the index and caches the subnet, as a running instance has them.
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        var transactionsBefore = _store.GroupCommit.Transactions;
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var results = await Task.WhenAll(Enumerable.Range(0, Units)
            .Select(_ => Task.Run(() => _allocations.AllocateAsync(_subnetId, new AllocationRequest()))));
        root.Stop();
        Assert.Equal(Units, results.Select(r => Assert.Single(r).Address).Distinct().Count());

        Assert.Equal(Units + 1, await ScalarAsync("SELECT count(*) FROM allocations"));
        var transactions = _store.GroupCommit.Transactions - transactionsBefore;
        var inserting = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Where(t => t.Contains(InsertIntoAllocations, StringComparison.Ordinal)).ToList();
        Assert.True(inserting.Count <= 2 * transactions && transactions < Units,
            $"{inserting.Count} round trips carried the {Units} inserts in {transactions} transactions");
        Assert.Contains(inserting, t => Occurrences(t, InsertIntoAllocations) >= 2 && t.Contains("COMMIT", StringComparison.Ordinal));
        Assert.Equal(0, _store.GroupCommit.IsolatedRetries);
    }

    [Fact]
    public async Task A_held_back_insert_of_an_address_another_writer_took_runs_its_transaction_again_with_savepoints()
    {
        var revision = await ScalarAsync($"SELECT revision FROM subnets WHERE id = '{_subnetId}'");
        // Another instance took every fifth address, unknown to this one's callers.
        await using (var other = new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }))
        {
            foreach (var host in Enumerable.Range(1, Units).Where(TakenByOther))
            {
                Assert.True(await other.WriteAsync((session, ct) => session.TryInsertAllocationAsync(AllocationOf(_subnetId, host), ct)));
            }
        }

        var tasks = Enumerable.Range(1, Units).Select(host => Task.Run(() => _store.WriteAsync(_subnetId, (session, ct) =>
            session.TryInsertAllocationAtRevisionAsync(AllocationOf(_subnetId, host), revision, ct)))).ToList();

        for (var host = 1; host <= Units; host++)
        {
            Assert.Equal(TakenByOther(host) ? AllocationInsert.AddressTaken : AllocationInsert.Inserted, await tasks[host - 1]);
        }

        Assert.Equal(Enumerable.Range(1, Units), await StoredHostsAsync());
        Assert.True(_store.GroupCommit.IsolatedRetries > 0, "a held-back insert that failed makes its transaction run again, isolated");
        Assert.False(_store.Writer.DefersInserts, $"after that, inserts are sent at once for {PostgresWriter.DeferralPause}");
    }

    [Fact]
    public async Task A_statement_after_held_back_inserts_sees_them()
    {
        var revision = await ScalarAsync($"SELECT revision FROM subnets WHERE id = '{_subnetId}'");
        var tasks = Enumerable.Range(1, Units).Select(host => Task.Run(() => _store.WriteAsync(_subnetId, async (session, ct) =>
        {
            var outcome = await session.TryInsertAllocationAtRevisionAsync(AllocationOf(_subnetId, host), revision, ct);
            var found = await session.FindAllocationAsync(_subnetId, Host(host), ct);
            return (outcome, found?.Address);
        }))).ToList();

        for (var host = 1; host <= Units; host++)
        {
            Assert.Equal((AllocationInsert.Inserted, (IpAddress?)Host(host)), await tasks[host - 1]);
        }

        Assert.Equal(Enumerable.Range(1, Units), await StoredHostsAsync());
    }

    private static bool TakenByOther(int host) => host % 5 == 0;

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
