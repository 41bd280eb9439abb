using System.Diagnostics;
using Ipam.Storage.Sql;
using Ipam.Storage.Tests.Contract;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A subnet pool's prefixes are stored in one round trip however many there are: a pool of thousands of prefixes
/// (a 1 MiB body holds about 40,000) is written, and rewritten by every change of the pool, well within a request's
/// deadline, instead of holding the instance's writer for one round trip per prefix.
/// </summary>
public sealed class SubnetPoolPrefixWriteTests() : StoreTests(StoreKind.Postgres)
{
    private const string InsertIntoPrefixes = "INSERT INTO subnet_pool_prefixes";

    [Fact]
    public async Task Insert_and_update_of_a_pool_of_thousands_of_prefixes_store_them_in_one_round_trip_each()
    {
        var pool = Samples.Pool(string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"10.{i >> 8}.{i & 255}.0/26")));
        var updated = pool with { Name = "renamed", Prefixes = pool.Prefixes.Skip(1).ToList(), Revision = pool.Revision + 1 };

        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await WriteAsync((s, ct) => s.InsertSubnetPoolAsync(pool, ct));
        Samples.AssertSame(pool, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
        await WriteAsync((s, ct) => s.UpdateSubnetPoolAsync(updated, ct));
        root.Stop();

        Samples.AssertSame(updated, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
        var inserts = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Count(t => t.Contains(InsertIntoPrefixes, StringComparison.Ordinal));
        Assert.Equal(2, inserts);
    }
}
