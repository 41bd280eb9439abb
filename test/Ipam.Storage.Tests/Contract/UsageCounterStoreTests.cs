using System.Data.Common;
using CsCheck;
using Ipam.Addressing;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// The usage counters (migration 0008) follow every statement that inserts or deletes allocations, and a pool
/// change, as of each commit; a counter changed behind the store's back is found and recounted.
/// </summary>
public abstract class UsageCounterStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task Counters_FollowEveryInsertAndDelete()
    {
        // Samples' pools are offsets 2–5 and 12–22; 1 is the gateway, 8 and 30 lie outside the pools.
        var subnet = await InsertSubnetAsync("10.40.0.0/27");
        await InsertAsync(subnet, [2, 3, 8, 12, 30]);
        Assert.False(await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, 3), ct)));
        await AssertCountersAsync(subnet, all: 5, inPools: 3);

        await WriteAsync((s, ct) => s.DeleteLoggedAsync(subnet.Id, subnet.Cidr.First.Add(8u), ct));
        await WriteAsync((s, ct) => s.DeleteLoggedAsync(subnet.Id, subnet.Cidr.First.Add(2u), ct));
        await AssertCountersAsync(subnet, all: 3, inPools: 2);

        await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, 4, expires: Samples.Now), ct));
        await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, 9, expires: Samples.Now), ct));
        await AssertCountersAsync(subnet, all: 5, inPools: 3);
        await WriteAsync((s, ct) => s.DeleteExpiredLoggedAsync(Samples.Now, subnet.Id, ct));
        await AssertCountersAsync(subnet, all: 3, inPools: 2);

        await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, 5, expires: Samples.Now), ct));
        await WriteAsync((s, ct) => s.SweepExpiredLoggedAsync(Samples.Now, 10, ct));
        await AssertCountersAsync(subnet, all: 3, inPools: 2);

        await WriteAsync((s, ct) => s.DeleteSubnetAllocationsLoggedAsync(subnet, ct));
        await AssertCountersAsync(subnet, all: 0, inPools: 0);
    }

    [Fact]
    public async Task UpdateSubnet_PoolsChanged_RecountsInsideAndOutside()
    {
        var subnet = await InsertSubnetAsync("10.41.0.0/27");
        await InsertAsync(subnet, [2, 3, 8, 12, 30]);

        var shrunk = subnet with { AllocationPools = [Range(subnet, 8, 12)], Revision = subnet.Revision + 1 };
        await WriteAsync((s, ct) => s.UpdateSubnetAsync(shrunk, ct));
        await AssertCountersAsync(subnet, all: 5, inPools: 2);

        // Later allocations and releases are counted against the new pools.
        await InsertAsync(subnet, [10]);
        await WriteAsync((s, ct) => s.DeleteLoggedAsync(subnet.Id, subnet.Cidr.First.Add(2u), ct));
        await AssertCountersAsync(subnet, all: 5, inPools: 3);

        await WriteAsync((s, ct) => s.UpdateSubnetAsync(shrunk with { Name = "renamed", Revision = shrunk.Revision + 1 }, ct));
        await AssertCountersAsync(subnet, all: 5, inPools: 3);
    }

    [Fact]
    public async Task DeleteSubnet_RemovesItsCounters()
    {
        var subnet = await InsertSubnetAsync("10.42.0.0/27");
        await InsertAsync(subnet, [2, 8]);

        await WriteAsync(async (s, ct) =>
        {
            await s.DeleteSubnetAllocationsLoggedAsync(subnet, ct);
            await s.DeleteSubnetAsync(subnet.Id, ct);
        });

        Assert.Equal((0L, 0L), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM subnet_usage"));
    }

    [Fact]
    public async Task FindUsageMismatches_CounterChangedBySql_ReportsItAndRecountRepairs()
    {
        var clean = await InsertSubnetAsync("10.43.0.0/27");
        var damaged = await InsertSubnetAsync("10.44.0.0/27");
        await InsertAsync(clean, [2, 8]);
        await InsertAsync(damaged, [2, 3, 8]);
        Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));

        await ExecuteAsync($"UPDATE subnet_usage SET allocated = allocated + 5 WHERE subnet_id = {IdLiteral(damaged.Id)}");

        var found = Assert.Single(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
        Assert.Equal(damaged.Id, found.SubnetId);
        Assert.Equal(new UsageCount(3, 2), found.Counted);
        Assert.NotEqual(found.Counted, found.Stored);
        Assert.Equal(2L, await ReadAsync((s, ct) => s.CountSubnetsAsync(ct)));

        await WriteAsync((s, ct) => s.RecountSubnetUsageAsync(damaged.Id, ct));

        Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
        await AssertCountersAsync(damaged, all: 3, inPools: 2);
    }

    [Fact]
    public async Task FindUnreadableRows_RowsEditedBySql_EachNamedWithTableKeyAndProblem_AllCountedPastTheLimit()
    {
        var subnet = await InsertSubnetAsync("10.46.0.0/27");
        await InsertAsync(subnet, [2, 3, 4]);
        Assert.Equal(0, (await ReadAsync((s, ct) => s.FindUnreadableRowsAsync(10, ct))).Count);
        var at = (int offset) => KeyLiteral(subnet.Cidr.First.Add((uint)offset).ToKey());
        var where = $"subnet_id = {IdLiteral(subnet.Id)}";

        await ExecuteAsync($"UPDATE allocations SET ip = {KeyLiteral([.. Enumerable.Repeat((byte)0xFF, 16)])} WHERE {where} AND ip = {at(2)}");
        await ExecuteAsync($"UPDATE allocations SET ip = {KeyLiteral(IpAddress.Parse("11.0.0.5").ToKey())} WHERE {where} AND ip = {at(3)}");
        await ExecuteAsync($"UPDATE allocation_pools SET last_ip = {at(40)} WHERE {where} AND first_ip = {at(12)}");

        var (first, count) = await ReadAsync((s, ct) => s.FindUnreadableRowsAsync(2, ct));
        var all = (await ReadAsync((s, ct) => s.FindUnreadableRowsAsync(10, ct))).First;

        Assert.Equal((2, 3L), (first.Count, count));
        Assert.Equal(
        [
            new UnreadableRow("allocation_pools", $"(subnet_id {subnet.Id}, first_ip 0x0000000000000000000000000A2E000C)",
                "the range 10.46.0.12-10.46.0.40 is not inside the subnet's 10.46.0.0/27"),
            new UnreadableRow("allocations", $"(subnet_id {subnet.Id}, ip 0x0000000000000000000000000B000005)", "ip 11.0.0.5 is not inside the subnet's 10.46.0.0/27"),
            new UnreadableRow("allocations", $"(subnet_id {subnet.Id}, ip 0x{new string('F', 32)})", $"ip holds 0x{new string('F', 32)}, which is no IPv4 address"),
        ], all.OrderBy(r => r.Table, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal(all.Take(2), first);
    }

    [Fact]
    public async Task FindUsageMismatches_CounterRowDeletedBySql_ReportsItUnlessNothingIsAllocated()
    {
        var subnet = await InsertSubnetAsync("10.45.0.0/27");
        await InsertAsync(subnet, [2]);

        await ExecuteAsync("DELETE FROM subnet_usage");

        var found = Assert.Single(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
        Assert.Equal(new UsageCount(1, 1), found.Counted);
        await WriteAsync((s, ct) => s.RecountSubnetUsageAsync(subnet.Id, ct));
        await AssertCountersAsync(subnet, all: 1, inPools: 1);
    }

    /// <summary>
    /// Commits write no counter row: the counters stay as they were and the usage read adds the log past them. A
    /// fold moves that net into the counters, batch by batch, and the usage read gives the same answer all along.
    /// </summary>
    [Fact]
    public async Task Fold_MovesTheLogIntoTheCounters_UsageTheSameThroughout()
    {
        var first = await InsertSubnetAsync("10.49.0.0/27");
        var second = await InsertSubnetAsync("10.49.1.0/27");
        await InsertAsync(first, [2, 3, 8, 12]);
        await InsertAsync(second, [2, 30]);
        await WriteAsync((s, ct) => s.DeleteLoggedAsync(first.Id, first.Cidr.First.Add(3u), ct));
        Assert.Equal(7L, await ReadAsync((s, ct) => s.FindUsageFoldLagAsync(ct)));
        Assert.Equal((0L, 0L), await StoredCountersAsync(first));

        var folds = new List<int>();
        int taken;
        do
        {
            folds.Add(taken = await FoldAsync(limit: 3));
            await AssertCountersAsync(first, all: 3, inPools: 2);
            await AssertCountersAsync(second, all: 2, inPools: 1);
            var both = await ReadAsync((s, ct) => s.CountAllocationsOfSubnetsAsync([first.Id, second.Id], ct));
            Assert.Equal(((3L, 2L), (2L, 1L)), (both[first.Id], both[second.Id]));
        }
        while (taken > 0);

        Assert.Equal([3, 3, 1, 0], folds);
        Assert.Equal(0L, await ReadAsync((s, ct) => s.FindUsageFoldLagAsync(ct)));
        Assert.Equal((3L, 2L), await StoredCountersAsync(first));
        Assert.Equal((2L, 1L), await StoredCountersAsync(second));
    }

    /// <summary>Pruning by age never deletes a change the counters do not hold yet.</summary>
    [Fact]
    public async Task PruneChangesBefore_NeverPastTheFold()
    {
        var subnet = await InsertSubnetAsync("10.51.0.0/27");
        await InsertAsync(subnet, [2, 3, 4, 5]);
        await FoldAsync(limit: 2);
        await InsertAsync(subnet, [6]);
        var cutoff = DateTimeOffset.UtcNow.AddDays(1);

        Assert.Equal(2, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(cutoff, 100, ct)));
        await AssertCountersAsync(subnet, all: 5, inPools: 4);

        await FoldAsync(limit: 100);
        Assert.Equal(2, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(cutoff, 100, ct)));
        await AssertCountersAsync(subnet, all: 5, inPools: 4);
    }

    /// <summary>A random sequence of every kind of change leaves the counters equal to a count of the rows, and to a model.</summary>
    [Fact]
    public Task Counters_RandomChanges_EqualCountOfRows() => RandomChangesAsync(shareTransactions: false);

    /// <summary>The same with several changes in one transaction, whose net reaches the counters at its commit.</summary>
    [Fact]
    public Task Counters_RandomChangesSharingTransactions_EqualCountOfRows() => RandomChangesAsync(shareTransactions: true);

    /// <summary>
    /// One transaction allocates, releases, changes the pools (a recount, which already counts the rows before it),
    /// then allocates again: the counters take each row once, against the pools it was counted under.
    /// </summary>
    [Fact]
    public async Task Counters_ChangesAroundARecountInOneTransaction_CountEachRowOnce()
    {
        var subnet = await InsertSubnetAsync("10.47.0.0/27");
        var shrunk = subnet with { AllocationPools = [Range(subnet, 8, 12)], Revision = subnet.Revision + 1 };
        await WriteAsync(async (s, ct) =>
        {
            foreach (var offset in new[] { 2, 3, 8, 12, 30 })
            {
                await s.InsertLoggedAsync(Samples.Allocation(subnet, offset), ct);
            }

            await s.DeleteLoggedAsync(subnet.Id, subnet.Cidr.First.Add(3u), ct);
            await s.UpdateSubnetAsync(shrunk, ct);
            await s.InsertLoggedAsync(Samples.Allocation(subnet, 10), ct);
            await s.InsertLoggedAsync(Samples.Allocation(subnet, 20), ct);
            await s.DeleteLoggedAsync(subnet.Id, subnet.Cidr.First.Add(8u), ct);
        });

        // Left: 2, 12, 30, 10, 20; inside 8–12: 12 and 10.
        await AssertCountersAsync(subnet, all: 5, inPools: 2);
    }

    /// <summary>A subnet deleted with its allocations and created again under its id in one transaction starts from zero.</summary>
    [Fact]
    public async Task Counters_SubnetDeletedAndCreatedAgainInOneTransaction_CountOnlyTheNewRows()
    {
        var subnet = await InsertSubnetAsync("10.48.0.0/27");
        await InsertAsync(subnet, [2, 3]);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertLoggedAsync(Samples.Allocation(subnet, 4), ct);
            await s.DeleteSubnetAllocationsLoggedAsync(subnet, ct);
            await s.DeleteSubnetAsync(subnet.Id, ct);
            await s.InsertSubnetAsync(subnet, ct);
            await s.InsertLoggedAsync(Samples.Allocation(subnet, 5), ct);
            await s.InsertLoggedAsync(Samples.Allocation(subnet, 30), ct);
        });

        await AssertCountersAsync(subnet, all: 2, inPools: 1);
    }

    private async Task RandomChangesAsync(bool shareTransactions)
    {
        var operations = Gen.Select(Gen.Int[0, 6], Gen.Int[0, 31], Gen.Int[0, 31], Gen.Bool).Array[1, 25];
        await operations.SampleAsync(async ops =>
        {
            var subnet = await InsertSubnetAsync("10.46.0.0/27", fresh: true);
            var model = new Dictionary<int, bool>();
            var pools = subnet.AllocationPools;
            bool InPools(int offset) => pools.Any(p => p.Contains(subnet.Cidr.First.Add((uint)offset)));
            var transaction = new List<(int Op, int A, int B)>();
            for (var i = 0; i < ops.Length; i++)
            {
                var (op, a, b, commitsHere) = ops[i];
                transaction.Add((op, a, b));
                if (shareTransactions && !commitsHere && i < ops.Length - 1)
                {
                    continue;
                }

                var changes = transaction.ToList();
                transaction.Clear();
                await WriteAsync(async (s, ct) =>
                {
                    foreach (var (o, x, y) in changes)
                    {
                        await ChangeAsync(s, subnet, o, x, y, ct);
                    }
                });
                foreach (var (o, x, y) in changes)
                {
                    pools = ChangeModel(model, subnet, pools, o, x, y);
                }

                // Op 6 folds, in a transaction of its own, a few changes or all of them.
                foreach (var (_, x, _) in changes.Where(c => c.Op == 6))
                {
                    await FoldAsync(limit: x % 3 == 0 ? 10_000 : (x % 4) + 1);
                }

                var counters = await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct));
                Assert.Equal((model.Count, model.Keys.Count(InPools)), ((int)counters.All, (int)counters.InPools));
                var unknown = Guid.NewGuid();
                var ofSubnets = await ReadAsync((s, ct) => s.CountAllocationsOfSubnetsAsync([subnet.Id, unknown], ct));
                Assert.Equal((counters, (0L, 0L)), (ofSubnets[subnet.Id], ofSubnets[unknown]));
            }

            Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
        }, iter: 20, threads: 1);
    }

    /// <summary>
    /// Operation <paramref name="op"/> of the random test: 0–1 insert a (expiring when b is a multiple of 3), 2 release a,
    /// 3 expire, 4 set the pools to a–b, 5 delete every allocation, 6 fold (after the transaction; nothing here).
    /// </summary>
    private static async ValueTask ChangeAsync(IIpamSession s, Subnet subnet, int op, int a, int b, CancellationToken ct)
    {
        switch (op)
        {
            case 0 or 1:
                await s.InsertLoggedAsync(Samples.Allocation(subnet, a, expires: b % 3 == 0 ? Samples.Now : null), ct);
                break;
            case 2:
                await s.DeleteLoggedAsync(subnet.Id, subnet.Cidr.First.Add((uint)a), ct);
                break;
            case 3:
                _ = b % 2 == 0 ? await s.DeleteExpiredLoggedAsync(Samples.Now, subnet.Id, ct) : await s.SweepExpiredLoggedAsync(Samples.Now, 1_000, ct);
                break;
            case 4:
                await s.UpdateSubnetAsync(subnet with { AllocationPools = PoolsOf(subnet, a, b) }, ct);
                break;
            case 6:
                break;
            default:
                await s.DeleteSubnetAllocationsLoggedAsync(subnet, ct);
                break;
        }
    }

    /// <summary>What <see cref="ChangeAsync"/> does to the model (address offset → expiring); returns the pools after it.</summary>
    private static IReadOnlyList<AddressRange> ChangeModel(Dictionary<int, bool> model, Subnet subnet, IReadOnlyList<AddressRange> pools, int op, int a, int b)
    {
        switch (op)
        {
            case 0 or 1:
                model.TryAdd(a, b % 3 == 0);
                break;
            case 2:
                model.Remove(a);
                break;
            case 3:
                foreach (var expired in model.Where(e => e.Value).Select(e => e.Key).ToList())
                {
                    model.Remove(expired);
                }

                break;
            case 4:
                return PoolsOf(subnet, a, b);
            case 6:
                break;
            default:
                model.Clear();
                break;
        }

        return pools;
    }

    private static AddressRange[] PoolsOf(Subnet subnet, int a, int b) => a == b ? [] : [Range(subnet, Math.Min(a, b), Math.Max(a, b))];

    protected async Task<Subnet> InsertSubnetAsync(string cidr, bool fresh = false)
    {
        var subnet = Samples.Subnet(cidr);
        if (fresh)
        {
            // Subnets from a CIDR may overlap; each sample gets its own.
            await WriteAsync(async (s, ct) =>
            {
                foreach (var existing in await s.ListSubnetsAsync(new SubnetQuery { Limit = 1000 }, ct))
                {
                    await s.DeleteSubnetAllocationsLoggedAsync(existing, ct);
                    await s.DeleteSubnetAsync(existing.Id, ct);
                }
            });
        }

        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        return subnet;
    }

    protected async Task InsertAsync(Subnet subnet, IEnumerable<int> offsets)
    {
        foreach (var offset in offsets)
        {
            Assert.True(await WriteAsync((s, ct) => s.InsertLoggedAsync(Samples.Allocation(subnet, offset), ct)));
        }
    }

    private static AddressRange Range(Subnet subnet, int first, int last) =>
        new(subnet.Cidr.First.Add((uint)first), subnet.Cidr.First.Add((uint)last));

    private async Task AssertCountersAsync(Subnet subnet, long all, long inPools)
    {
        Assert.Equal((all, inPools), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
        Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
    }

    /// <summary>The counter row as stored, without the log past it.</summary>
    private async Task<(long All, long InPools)> StoredCountersAsync(Subnet subnet) =>
        (await ScalarAsync($"SELECT allocated FROM subnet_usage WHERE subnet_id = {IdLiteral(subnet.Id)}"),
         await ScalarAsync($"SELECT in_pools FROM subnet_usage WHERE subnet_id = {IdLiteral(subnet.Id)}"));

    private string KeyLiteral(byte[] key) => Kind == StoreKind.Sqlite ? $"X'{Convert.ToHexString(key)}'" : $"'\\x{Convert.ToHexString(key)}'::bytea";

    private string IdLiteral(Guid id) => Kind == StoreKind.Sqlite ? $"'{id:D}'" : $"'{id:D}'::uuid";

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class UsageCounterStoreTestsOnSqlite() : UsageCounterStoreTests(StoreKind.Sqlite);

public sealed class UsageCounterStoreTestsOnPostgres() : UsageCounterStoreTests(StoreKind.Postgres);
