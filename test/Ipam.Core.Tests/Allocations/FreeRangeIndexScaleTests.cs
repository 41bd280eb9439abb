using CsCheck;
using Ipam.Addressing;
using Ipam.Allocations;
using static Ipam.Core.Tests.Allocations.FreeRangeIndexTests;

namespace Ipam.Core.Tests.Allocations;

/// <summary>FreeRangeIndex with its real node sizes holding thousands of ranges: about a hundred leaves under more than one branch.</summary>
public sealed class FreeRangeIndexScaleTests
{
    private const int Universe = 12_000;

    [Fact]
    public void Operations_SixThousandRanges_MatchModelAcrossManyLeaves()
    {
        // Every other address allocated: 6,000 single-address ranges, 64 to a leaf, so over 90 leaves
        // under more than one branch. Half of the operations aim at a window of 300 addresses.
        var gen =
            from hotStart in Gen.Int[0, Universe - 300]
            from ops in Gen.Select(OpKindGen, Gen.Bool, Gen.Int[-10, Universe + 10], Gen.ULong).Array[1500, 3000]
            select new Scenario(Universe, [(0, Universe)], 1, 2, 0, 1, hotStart, ops);

        gen.Sample(scenario => Assert.True(Run("10.0.0.0", scenario) >= 2, "the tree never grew a second level of branches"), iter: 4);
    }

    [Fact]
    public void RemoveEverythingThenAddBack_EmptiesAndRefillsTheTree()
    {
        // Taking every free address in random order drops leaves, merges sparse neighbours and removes
        // branches until the tree is empty; adding them back in another order grows it again.
        var random = new Random(7);
        var free = Enumerable.Range(0, Universe / 2).Select(i => (2 * i) + 1).ToArray();
        random.Shuffle(free);
        var ops = free.Select(offset => (OpKind.Remove, false, offset, 0UL)).ToList();
        random.Shuffle(free);
        ops.AddRange(free.Select(offset => (OpKind.Add, false, offset, 0UL)));
        ops.AddRange(Enumerable.Range(0, 2000).Select(_ => (OpKind.TakeAt, false, 0, (ulong)random.NextInt64())));

        Assert.True(Run("fd00::", new Scenario(Universe, [(0, Universe)], 1, 2, 0, 0, 0, [.. ops])) >= 2);
        Assert.True(Run("10.0.0.0", new Scenario(Universe, [(0, Universe)], 1, 2, 0, 0, 0, [.. ops]), TinyTree) >= 6);
    }

    [Fact]
    public void TakeAt_EveryPositionAcrossLeafBoundaries_ReturnsTheKthFreeAddress()
    {
        // 1,000 ranges of three free addresses each: leaves end after every 64th range, so positions
        // 189 to 194 straddle the first boundary; every position is checked and then returned.
        var origin = IpAddress.Parse("10.0.0.0").Value;
        var allocated = Enumerable.Range(0, 1000).Select(i => new IpAddress(IpVersion.V4, origin + (UInt128)(4 * i) + 3)).ToList();
        var index = new FreeRangeIndex(RangeSet.Of(new AddressRange(new IpAddress(IpVersion.V4, origin), new IpAddress(IpVersion.V4, origin + 3999))), allocated);
        Assert.True(index.CheckStructure().Leaves > 10);

        for (var k = 0; k < 3000; k++)
        {
            var expected = new IpAddress(IpVersion.V4, origin + (UInt128)(4 * (k / 3)) + (UInt128)(k % 3));
            Assert.Equal(expected, index.TakeAt((UInt128)k));
            Assert.True(index.Add(expected));
        }

        index.CheckStructure();
        Assert.Equal((UInt128)3000, index.FreeCount);
    }

    [Fact]
    public void TakeAt_HugeRangesInASlash64_MatchesTheKthFreeAddress()
    {
        // 20,000 random allocations leave ranges of about 2^50 addresses each; leaf and branch counts go
        // far past 64 bits. The k-th free address is worked out from the sorted allocations.
        var prefix = Cidr.Parse("2001:db8::/64");
        var random = new Random(64);
        var taken = new SortedSet<UInt128>();
        while (taken.Count < 20_000)
        {
            taken.Add((UInt128)(ulong)random.NextInt64(long.MinValue, long.MaxValue));
        }

        var index = new FreeRangeIndex(RangeSet.Of(new AddressRange(prefix.First, prefix.Last)),
            taken.Select(offset => new IpAddress(IpVersion.V6, prefix.First.Value + offset)));
        var sortedTaken = taken.ToArray();
        Assert.Equal((UInt128.One << 64) - 20_000, index.FreeCount);

        for (var i = 0; i < 2000; i++)
        {
            var k = (UInt128)(ulong)random.NextInt64(long.MinValue, long.MaxValue) % index.FreeCount;
            var expected = new IpAddress(IpVersion.V6, prefix.First.Value + KthFree(sortedTaken, k));
            Assert.Equal(expected, index.TakeAt(k));
            Assert.True(index.Add(expected));
        }

        Assert.True(index.CheckStructure().Height >= 2);
    }

    /// <summary>The k-th offset not in <paramref name="sortedTaken"/>: each taken offset at or below the candidate pushes it up by one.</summary>
    private static UInt128 KthFree(UInt128[] sortedTaken, UInt128 k)
    {
        var candidate = k;
        foreach (var t in sortedTaken)
        {
            if (t > candidate)
            {
                break;
            }

            candidate++;
        }

        return candidate;
    }
}
