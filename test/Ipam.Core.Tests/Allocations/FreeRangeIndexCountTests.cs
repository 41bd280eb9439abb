using System.Diagnostics;
using CsCheck;
using Ipam.Addressing;
using Ipam.Allocations;

namespace Ipam.Core.Tests.Allocations;

/// <summary>Counting the free addresses of a range (<see cref="FreeRangeIndex.CountFree"/>) against counting them one by one.</summary>
public sealed class FreeRangeIndexCountTests
{
    /// <summary>
    /// Pools in a universe of up to 3,000 addresses, random allocations, then random takes and returns that split
    /// and merge leaves, and queries that start and end anywhere (before, inside and past the pools).
    /// </summary>
    private static readonly Gen<(int Universe, (int, int)[] Pools, int Density, int Seed, (int, int)[] Queries)> ScenarioGen =
        from universe in Gen.Int[20, 3000]
        from pools in Gen.Select(Gen.Int[0, universe - 1], Gen.Int[1, universe]).Array[1, 5]
        from density in Gen.Int[0, 100]
        from seed in Gen.Int
        from queries in Gen.Select(Gen.Int[-5, universe + 5], Gen.Int[0, universe + 5]).Array[1, 40]
        select (universe, pools, density, seed, queries);

    [Theory]
    [InlineData("10.0.0.0", false)]
    [InlineData("fd00::", false)]
    [InlineData("10.0.0.0", true)]
    [InlineData("fd00::", true)]
    public void CountFree_RandomRanges_MatchesANaiveCount(string universeBase, bool tinyNodes)
    {
        var origin = IpAddress.Parse(universeBase);
        ScenarioGen.Sample(s =>
        {
            var random = new Random(s.Seed);
            var poolSet = RangeSet.Of(origin.Version, s.Pools.Select(p => Range(origin, p.Item1, Math.Min(p.Item1 + p.Item2, s.Universe) - 1)));
            var allocated = Enumerable.Range(0, s.Universe).Where(_ => random.Next(100) < s.Density).Select(o => origin.Add((UInt128)o)).ToList();
            var index = tinyNodes
                ? new FreeRangeIndex(poolSet, allocated, FreeRangeIndexTests.TinyTree())
                : new FreeRangeIndex(poolSet, allocated);
            for (var step = 0; step < 200 && index.FreeCount > 0; step++)
            {
                var taken = index.TakeAt((UInt128)random.NextInt64((long)index.FreeCount));
                if (random.Next(3) == 0)
                {
                    index.Add(taken);
                }
            }

            var free = Enumerable.Range(-5, s.Universe + 11).Where(o => o >= 0 && index.IsFree(origin.Add((UInt128)o))).ToHashSet();
            foreach (var (start, length) in s.Queries)
            {
                var (first, last) = (Math.Max(start, 0), Math.Max(start, 0) + length);
                var expected = free.Count(o => o >= first && o <= last);
                Assert.Equal((UInt128)expected, index.CountFree(Range(origin, first, last)));
            }

            Assert.Equal(index.FreeCount, index.CountFree(Range(origin, 0, s.Universe + 5)));
        }, iter: 100);
    }

    [Fact]
    public void CountFree_WholeIpv6Slash64_CountsWithoutEnumerating()
    {
        var subnet = Cidr.Parse("2001:db8::/64");
        var pools = RangeSet.Of(new AddressRange(subnet.First.Add(2), subnet.Last));
        var index = new FreeRangeIndex(pools, [subnet.First.Add(5), subnet.Last]);

        Assert.Equal((UInt128.One << 64) - 4, index.CountFree(subnet.Range));
        Assert.Equal((UInt128.One << 56) - 3, index.CountFree(Cidr.Parse("2001:db8::/72").Range));
        Assert.Equal((UInt128.One << 56) - 1, index.CountFree(Cidr.Parse("2001:db8:0:0:ff00::/72").Range));
        Assert.Equal(UInt128.Zero, index.CountFree(Cidr.Parse("10.0.0.0/8").Range));
    }

    [Fact]
    public void CountFree_MillionAllocations_ThousandBlocksInMilliseconds()
    {
        // A /11 (2,097,152 addresses) with a million random allocations: half a million free ranges over
        // thousands of leaves. 1,024 blocks cost 2,048 descents, not a scan of the ranges.
        var subnet = Cidr.Parse("10.0.0.0/11");
        var random = new Random(11);
        var allocated = Enumerable.Range(0, 1 << 21).Where(_ => random.Next(2) == 0).Select(o => subnet.First.Add((UInt128)o)).ToList();
        var index = new FreeRangeIndex(RangeSet.Of(subnet.Range), allocated);
        var blocks = Enumerable.Range(0, 1024).Select(i => new Cidr(subnet.First.Add((UInt128)(i << 11)), 21)).ToList();
        var naive = new long[1024];
        foreach (var range in index.FreeRanges())
        {
            for (var v = range.First.Value; v <= range.Last.Value; v++)
            {
                naive[(int)((v - subnet.First.Value) >> 11)]++;
            }
        }

        var clock = Stopwatch.StartNew();
        var counted = blocks.Select(b => index.CountFree(b.Range)).ToList();
        clock.Stop();

        Assert.Equal(naive.Select(n => (UInt128)n), counted);
        Assert.True(clock.ElapsedMilliseconds < 500, $"1,024 block counts took {clock.ElapsedMilliseconds} ms");
    }

    private static AddressRange Range(IpAddress origin, int first, int last) =>
        new(origin.Add((UInt128)first), origin.Add((UInt128)last));
}
