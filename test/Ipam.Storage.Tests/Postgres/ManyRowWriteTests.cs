using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Storage.Sql;
using Ipam.Storage.Tests.Contract;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Rows of one kind that a request writes by the thousand are stored in one round trip however many there are: a
/// subnet pool's prefixes (a 1 MiB body holds about 40,000) and a subnet's allocation pools (up to 1,000 ranges) are
/// written, and rewritten by a change, well within a request's deadline, instead of holding the instance's writer for
/// one round trip per row.
/// </summary>
public sealed class ManyRowWriteTests() : StoreTests(StoreKind.Postgres)
{
    [Fact]
    public async Task Insert_and_update_of_a_pool_of_thousands_of_prefixes_store_them_in_one_round_trip_each()
    {
        var pool = Samples.Pool(string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"10.{i >> 8}.{i & 255}.0/26")));
        var updated = pool with { Name = "renamed", Prefixes = pool.Prefixes.Skip(1).ToList(), Revision = pool.Revision + 1 };

        var inserts = await CountCommandsAsync("INSERT INTO subnet_pool_prefixes", async () =>
        {
            await WriteAsync((s, ct) => s.InsertSubnetPoolAsync(pool, ct));
            Samples.AssertSame(pool, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
            await WriteAsync((s, ct) => s.UpdateSubnetPoolAsync(updated, ct));
        });

        Samples.AssertSame(updated, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
        Assert.Equal(2, inserts);
    }

    [Fact]
    public async Task Insert_and_update_of_a_subnet_of_a_thousand_ranges_store_them_in_one_round_trip_each()
    {
        var subnet = Samples.Subnet("10.8.0.0/16") with { AllocationPools = Ranges(1000, offset: 2) };
        var updated = subnet with { AllocationPools = Ranges(999, offset: 3), Revision = subnet.Revision + 1 };

        var inserts = await CountCommandsAsync("INSERT INTO allocation_pools", async () =>
        {
            await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
            Samples.AssertSame(subnet, await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
            await WriteAsync((s, ct) => s.UpdateSubnetAsync(updated, ct));
        });

        Samples.AssertSame(updated, await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
        Assert.Equal(2, inserts);
    }

    /// <summary>How many commands sent while <paramref name="work"/> ran contain <paramref name="text"/>.</summary>
    private static async Task<int> CountCommandsAsync(string text, Func<Task> work)
    {
        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await work();
        root.Stop();
        return trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Count(t => t.Contains(text, StringComparison.Ordinal));
    }

    /// <summary><paramref name="count"/> ranges of two addresses, one address apart, from 10.8.0.0 + <paramref name="offset"/>.</summary>
    private static List<AddressRange> Ranges(int count, uint offset)
    {
        var first = IpAddress.Parse("10.8.0.0");
        return Enumerable.Range(0, count)
            .Select(i => new AddressRange(first.Add(offset + (uint)i * 3), first.Add(offset + (uint)i * 3 + 1)))
            .ToList();
    }
}
