using System.Data.Common;
using CsCheck;
using Ipam.Addressing;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// The usage counters (migration 0008) follow every statement that inserts or deletes allocations, and a pool
/// change; a counter changed behind the store's back is found and recounted.
/// </summary>
public abstract class UsageCounterStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task Counters_FollowEveryInsertAndDelete()
    {
        // Samples' pools are offsets 2–5 and 12–22; 1 is the gateway, 8 and 30 lie outside the pools.
        var subnet = await InsertSubnetAsync("10.40.0.0/27");
        await InsertAsync(subnet, [2, 3, 8, 12, 30]);
        Assert.False(await WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, 3), ct)));
        await AssertCountersAsync(subnet, all: 5, inPools: 3);

        await WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, subnet.Cidr.First.Add(8u), ct));
        await WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, subnet.Cidr.First.Add(2u), ct));
        await AssertCountersAsync(subnet, all: 3, inPools: 2);

        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, 4, expires: Samples.Now), ct));
        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, 9, expires: Samples.Now), ct));
        await AssertCountersAsync(subnet, all: 5, inPools: 3);
        await WriteAsync((s, ct) => s.DeleteExpiredAllocationsAsync(Samples.Now, subnet.Id, ct));
        await AssertCountersAsync(subnet, all: 3, inPools: 2);

        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, 5, expires: Samples.Now), ct));
        await WriteAsync((s, ct) => s.SweepExpiredAllocationsAsync(Samples.Now, 10, ct));
        await AssertCountersAsync(subnet, all: 3, inPools: 2);

        await WriteAsync((s, ct) => s.DeleteSubnetAllocationsAsync(subnet.Id, subnet.Version, ct));
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
        await WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, subnet.Cidr.First.Add(2u), ct));
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
            await s.DeleteSubnetAllocationsAsync(subnet.Id, subnet.Version, ct);
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

    /// <summary>A random sequence of every kind of change leaves the counters equal to a count of the rows, and to a model.</summary>
    [Fact]
    public async Task Counters_RandomChanges_EqualCountOfRows()
    {
        var operations = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 31], Gen.Int[0, 31]).Array[1, 25];
        await operations.SampleAsync(async ops =>
        {
            var subnet = await InsertSubnetAsync("10.46.0.0/27", fresh: true);
            var model = new Dictionary<int, bool>();
            var pools = subnet.AllocationPools;
            bool InPools(int offset) => pools.Any(p => p.Contains(subnet.Cidr.First.Add((uint)offset)));
            foreach (var (op, a, b) in ops)
            {
                switch (op)
                {
                    case 0 or 1:
                        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, a, expires: b % 3 == 0 ? Samples.Now : null), ct));
                        model.TryAdd(a, b % 3 == 0);
                        break;
                    case 2:
                        await WriteAsync((s, ct) => s.DeleteAllocationAsync(subnet.Id, subnet.Cidr.First.Add((uint)a), ct));
                        model.Remove(a);
                        break;
                    case 3:
                        await WriteAsync((s, ct) => b % 2 == 0
                            ? s.DeleteExpiredAllocationsAsync(Samples.Now, subnet.Id, ct)
                            : s.SweepExpiredAllocationsAsync(Samples.Now, 1_000, ct));
                        foreach (var expired in model.Where(e => e.Value).Select(e => e.Key).ToList())
                        {
                            model.Remove(expired);
                        }

                        break;
                    case 4:
                        pools = a == b ? [] : [Range(subnet, Math.Min(a, b), Math.Max(a, b))];
                        var updated = subnet with { AllocationPools = pools };
                        await WriteAsync((s, ct) => s.UpdateSubnetAsync(updated, ct));
                        break;
                    default:
                        await WriteAsync((s, ct) => s.DeleteSubnetAllocationsAsync(subnet.Id, subnet.Version, ct));
                        model.Clear();
                        break;
                }

                var counters = await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct));
                Assert.Equal((model.Count, model.Keys.Count(InPools)), ((int)counters.All, (int)counters.InPools));
            }

            Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
        }, iter: 20, threads: 1);
    }

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
                    await s.DeleteSubnetAllocationsAsync(existing.Id, existing.Version, ct);
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
            Assert.True(await WriteAsync((s, ct) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, offset), ct)));
        }
    }

    private static AddressRange Range(Subnet subnet, int first, int last) =>
        new(subnet.Cidr.First.Add((uint)first), subnet.Cidr.First.Add((uint)last));

    private async Task AssertCountersAsync(Subnet subnet, long all, long inPools)
    {
        Assert.Equal((all, inPools), await ReadAsync((s, ct) => s.CountSubnetAllocationsAsync(subnet.Id, ct)));
        Assert.Empty(await ReadAsync((s, ct) => s.FindUsageMismatchesAsync(ct)));
    }

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
