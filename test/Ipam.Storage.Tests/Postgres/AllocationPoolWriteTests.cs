using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Storage.Sql;
using Ipam.Storage.Tests.Contract;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A subnet's allocation pools are stored in one round trip however many ranges it has (up to 1,000): a subnet of many
/// ranges is created, and its pools changed, as fast as one of one range.
/// </summary>
public sealed class AllocationPoolWriteTests() : StoreTests(StoreKind.Postgres)
{
    private const string InsertIntoPools = "INSERT INTO allocation_pools";

    [Fact]
    public async Task Insert_and_update_of_a_subnet_of_a_thousand_ranges_store_them_in_one_round_trip_each()
    {
        var subnet = Samples.Subnet("10.8.0.0/16") with { AllocationPools = Ranges(1000, offset: 2) };
        var updated = subnet with { AllocationPools = Ranges(999, offset: 3), Revision = subnet.Revision + 1 };

        using var trace = new NpgsqlCommandTrace(StoreTelemetry.Name);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        Samples.AssertSame(subnet, await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
        await WriteAsync((s, ct) => s.UpdateSubnetAsync(updated, ct));
        root.Stop();

        Samples.AssertSame(updated, await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
        var inserts = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).Count(t => t.Contains(InsertIntoPools, StringComparison.Ordinal));
        Assert.Equal(2, inserts);
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
