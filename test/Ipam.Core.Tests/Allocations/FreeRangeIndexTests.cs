using CsCheck;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Core.Tests.Addressing;

namespace Ipam.Core.Tests.Allocations;

/// <summary>FreeRangeIndex against a sorted list of free offsets, step by step.</summary>
public sealed class FreeRangeIndexTests
{
    internal enum OpKind
    {
        TakeAt,
        TakeLowest,
        Remove,
        Add,
        IsFree,
    }

    internal static readonly Gen<OpKind> OpKindGen = Gen.Frequency(
        (30, Gen.Const(OpKind.TakeAt)),
        (8, Gen.Const(OpKind.TakeLowest)),
        (15, Gen.Const(OpKind.Remove)),
        (32, Gen.Const(OpKind.Add)),
        (15, Gen.Const(OpKind.IsFree)));

    /// <summary>
    /// A universe of up to a few thousand addresses, 1–5 pools, an initial allocation pattern (none, every
    /// stride-th address, or random), then hundreds of operations, half of them aimed at a narrow window so
    /// that one leaf's range count rises past 128 and falls again.
    /// </summary>
    private static readonly Gen<Scenario> ScenarioGen =
        from universe in Gen.Int[50, 3000]
        from pools in Gen.Select(Gen.Int[0, universe - 1], Gen.Int[1, universe]).Array[1, 5]
        from pattern in Gen.Int[0, 3]
        from stride in Gen.Int[2, 4]
        from density in Gen.Int[0, 100]
        from allocSeed in Gen.Int
        from hotStart in Gen.Int[0, universe - 1]
        from ops in Gen.Select(OpKindGen, Gen.Bool, Gen.Int[-10, universe + 10], Gen.ULong).Array[200, 700]
        select new Scenario(universe, pools, pattern, stride, density, allocSeed, hotStart, ops);

    public static TheoryData<string> Bases => ["10.0.0.0", "fd00::", "top"];

    [Theory]
    [MemberData(nameof(Bases))]
    public void Operations_RandomPoolsAndSequences_MatchSortedSetModel(string universeBase)
    {
        ScenarioGen.Sample(scenario => Run(universeBase, scenario), iter: 60);
    }

    /// <summary>The same scenarios over a tree of four ranges per leaf and four children per branch: many levels from few ranges.</summary>
    [Theory]
    [MemberData(nameof(Bases))]
    public void Operations_TinyTreeNodes_MatchSortedSetModel(string universeBase)
    {
        ScenarioGen.Sample(scenario => Run(universeBase, scenario, TinyTree), iter: 40);
    }

    [Fact]
    public void Operations_ManySplitsThenMerges_StayInStepWithModel()
    {
        // One pool of 4,000 free addresses: 1,500 random takes split it into far more than 128 ranges
        // (several leaf splits), then adds merge ranges back across leaf boundaries until leaves empty out.
        var random = new Random(20240601);
        var ops = new List<(OpKind, bool, int, ulong)>();
        for (var i = 0; i < 1500; i++)
        {
            ops.Add((OpKind.TakeAt, false, 0, (ulong)random.NextInt64()));
        }

        for (var i = 0; i < 3000; i++)
        {
            ops.Add((i % 3 == 0 ? OpKind.TakeLowest : OpKind.Add, false, random.Next(0, 4000), 0));
        }

        Run("10.0.0.0", new Scenario(4000, [(0, 4000)], 0, 2, 0, 0, 0, [.. ops]));
        Run("top", new Scenario(4000, [(0, 4000)], 1, 2, 0, 0, 0, [.. ops]));
        Assert.True(Run("fd00::", new Scenario(4000, [(0, 4000)], 0, 2, 0, 0, 0, [.. ops]), TinyTree) >= 4, "the tiny-node tree never grew four levels");
    }

    [Fact]
    public void Add_MergeEmptiesTheNextLeaf_KeepsIndexConsistent()
    {
        // Odd offsets allocated: the free set is 200 single addresses, built 64 ranges to a leaf, so the
        // second leaf holds 128, 130, ..., 254. Removing all of it but 128 and then adding 127 joins 126
        // (end of the first leaf) with 128 (the second leaf's only range), which empties that leaf.
        var ops = new List<(OpKind, bool, int, ulong)>();
        for (var offset = 130; offset <= 254; offset += 2)
        {
            ops.Add((OpKind.Remove, false, offset, 0));
        }

        ops.Add((OpKind.Add, false, 127, 0));
        for (var offset = 0; offset < 400; offset += 7)
        {
            ops.Add((OpKind.IsFree, false, offset, 0));
            ops.Add((OpKind.Add, false, offset, 0));
        }

        ops.Add((OpKind.TakeAt, false, 0, 150));
        Run("10.0.0.0", new Scenario(400, [(0, 400)], 1, 2, 0, 1, 0, [.. ops]));
        Run("top", new Scenario(400, [(0, 400)], 1, 2, 0, 1, 0, [.. ops]));
    }

    [Fact]
    public void Constructor_AllocationsOutsidePoolsOrOtherFamily_AreIgnored()
    {
        var pools = RangeSet.Of(IpVersion.V4,
        [
            new AddressRange(IpAddress.Parse("10.0.0.10"), IpAddress.Parse("10.0.0.19")),
            new AddressRange(IpAddress.Parse("10.0.0.30"), IpAddress.Parse("10.0.0.39")),
        ]);
        var index = new FreeRangeIndex(pools,
        [
            IpAddress.Parse("10.0.0.1"),
            IpAddress.Parse("10.0.0.10"),
            IpAddress.Parse("10.0.0.10"),
            IpAddress.Parse("10.0.0.39"),
            IpAddress.Parse("::ffff:10.0.0.11"),
            IpAddress.Parse("10.0.0.25"),
        ]);

        Assert.Equal((UInt128)20, index.PoolSize);
        Assert.Equal((UInt128)18, index.FreeCount);
        Assert.Equal(
            [
                new AddressRange(IpAddress.Parse("10.0.0.11"), IpAddress.Parse("10.0.0.19")),
                new AddressRange(IpAddress.Parse("10.0.0.30"), IpAddress.Parse("10.0.0.38")),
            ],
            index.FreeRanges());
        Assert.Equal(IpAddress.Parse("10.0.0.30"), index.TakeAt(9));
        Assert.False(index.Add(IpAddress.Parse("10.0.0.25")));
        Assert.False(index.Add(IpAddress.Parse("::ffff:10.0.0.10")));
        Assert.True(index.Add(IpAddress.Parse("10.0.0.10")));
        Assert.Equal(IpAddress.Parse("10.0.0.10"), index.TakeLowest());
    }

    [Fact]
    public void TakeAt_EmptyOrBeyondFreeCount_Throws()
    {
        var single = IpAddress.Parse("192.0.2.7");
        var index = new FreeRangeIndex(RangeSet.Of(new AddressRange(single, single)), []);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.TakeAt(1));
        Assert.Equal(single, index.TakeLowest());
        Assert.Equal(UInt128.Zero, index.FreeCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.TakeLowest());
        Assert.Empty(index.FreeRanges());
        Assert.True(index.Add(single));
        Assert.Equal(single, index.TakeAt(0));
    }

    [Fact]
    public void TakeAt_Ipv6Slash64_WorksWithoutEnumerating()
    {
        var prefix = Cidr.Parse("2001:db8:1:2::/64");
        var pool = new AddressRange(prefix.First.Add(1), prefix.Last);
        var allocated = new[] { prefix.First.Add(1), prefix.First.Add(2) };
        var half = UInt128.One << 63;

        var index = new FreeRangeIndex(RangeSet.Of(pool), allocated);

        Assert.Equal((UInt128.One << 64) - 1, index.PoolSize);
        Assert.Equal((UInt128.One << 64) - 3, index.FreeCount);
        var taken = index.TakeAt(half);
        Assert.Equal(IpAddress.Parse("2001:db8:1:2:8000::3"), taken);
        Assert.False(index.IsFree(taken));
        Assert.Equal(IpAddress.Parse("2001:db8:1:2:8000::4"), index.TakeAt(half));
        Assert.Equal((UInt128.One << 64) - 5, index.FreeCount);
        Assert.Equal(prefix.Last, index.TakeAt(index.FreeCount - 1));
        Assert.Equal(IpAddress.Parse("2001:db8:1:2::3"), index.TakeLowest());
        Assert.Equal(
            [
                new AddressRange(IpAddress.Parse("2001:db8:1:2::4"), IpAddress.Parse("2001:db8:1:2:8000::2")),
                new AddressRange(IpAddress.Parse("2001:db8:1:2:8000::5"), IpAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:fffe")),
            ],
            index.FreeRanges());
        Assert.True(index.Add(taken));
        Assert.True(index.IsFree(taken));
        Assert.False(index.Add(prefix.First));
    }

    internal static CountedRangeTree TinyTree() => new(maxLeafRanges: 4, maxChildren: 4);

    /// <summary>Plays the scenario against the model, checking the tree's structure along the way; returns the greatest height seen.</summary>
    internal static int Run(string universeBase, Scenario s, Func<CountedRangeTree>? tree = null)
    {
        var top = universeBase == "top";
        var version = top || universeBase.Contains(':', StringComparison.Ordinal) ? IpVersion.V6 : IpVersion.V4;
        var origin = top ? UInt128.MaxValue - (UInt128)(s.Universe - 1) : IpAddress.Parse(universeBase).Value;

        // Offsets outside [0, universe) exist only where the family has room for them.
        IpAddress? At(int offset)
        {
            if (offset < 0)
            {
                return origin >= (UInt128)(-offset) ? new IpAddress(version, origin - (UInt128)(-offset)) : null;
            }

            return offset < s.Universe || !top ? new IpAddress(version, origin + (UInt128)offset) : null;
        }

        var inPool = new bool[s.Universe];
        foreach (var (start, length) in s.Pools)
        {
            for (var i = start; i < Math.Min(s.Universe, start + length); i++)
            {
                inPool[i] = true;
            }
        }

        var poolRanges = s.Pools.Select(p => new AddressRange(At(p.Start)!.Value, At(Math.Min(s.Universe, p.Start + p.Length) - 1)!.Value));
        var pools = RangeSet.Of(version, poolRanges);

        var allocRandom = new Random(s.AllocSeed);
        var allocated = new List<IpAddress>();
        for (var i = 0; i < s.Universe; i++)
        {
            var take = s.Pattern switch
            {
                0 => false,
                1 => i % s.Stride == s.AllocSeed % s.Stride,
                2 => i % s.Stride != s.AllocSeed % s.Stride,
                _ => allocRandom.Next(100) < s.Density,
            };
            if (take)
            {
                allocated.Add(At(i)!.Value);
            }
        }

        // Duplicates and foreign addresses in the allocation list must not matter.
        if (allocated.Count > 0)
        {
            allocated.Add(allocated[allocRandom.Next(allocated.Count)]);
        }

        allocated.Add(version == IpVersion.V4 ? IpAddress.Parse("::1") : IpAddress.Parse("10.0.0.1"));
        if (At(-3) is { } below)
        {
            allocated.Add(below);
        }

        var allocatedSet = allocated.Where(a => a.Version == version).Select(a => a.Value).ToHashSet();
        var free = Enumerable.Range(0, s.Universe).Where(i => inPool[i] && !allocatedSet.Contains(At(i)!.Value.Value)).ToList();

        var index = tree is null ? new FreeRangeIndex(pools, allocated) : new FreeRangeIndex(pools, allocated, tree());
        Assert.Equal((UInt128)inPool.Count(p => p), index.PoolSize);
        var height = AssertSameFree(index, free, At, inPool, version);

        var step = 0;
        foreach (var (kind, hot, rawOffset, rawIndex) in s.Ops)
        {
            step++;
            var offset = hot ? s.HotStart + Math.Abs(rawOffset % 300) : rawOffset;
            if (offset >= s.Universe && top)
            {
                offset %= s.Universe;
            }

            var address = At(offset)!.Value;
            var position = free.BinarySearch(offset);
            var isFree = offset >= 0 && offset < s.Universe && position >= 0;
            switch (kind)
            {
                case OpKind.TakeAt when free.Count == 0:
                case OpKind.TakeLowest when free.Count == 0:
                    Assert.Throws<ArgumentOutOfRangeException>(() => index.TakeAt(0));
                    Assert.Throws<ArgumentOutOfRangeException>(() => index.TakeLowest());
                    break;
                case OpKind.TakeAt:
                    {
                        var k = (int)(rawIndex % (ulong)free.Count);
                        Assert.Equal(At(free[k]), index.TakeAt((UInt128)k));
                        free.RemoveAt(k);
                        break;
                    }

                case OpKind.TakeLowest:
                    Assert.Equal(At(free[0]), index.TakeLowest());
                    free.RemoveAt(0);
                    break;
                case OpKind.Remove:
                    Assert.Equal(isFree, index.Remove(address));
                    if (isFree)
                    {
                        free.RemoveAt(position);
                    }

                    break;
                case OpKind.Add:
                    var expected = offset >= 0 && offset < s.Universe && inPool[offset] && !isFree;
                    Assert.Equal(expected, index.Add(address));
                    if (expected)
                    {
                        free.Insert(~position, offset);
                    }

                    break;
                case OpKind.IsFree:
                    Assert.Equal(isFree, index.IsFree(address));
                    break;
            }

            Assert.Equal((UInt128)free.Count, index.FreeCount);
            if (step % 50 == 0)
            {
                height = Math.Max(height, AssertSameFree(index, free, At, inPool, version));
            }
        }

        return Math.Max(height, AssertSameFree(index, free, At, inPool, version));
    }

    private static int AssertSameFree(FreeRangeIndex index, List<int> free, Func<int, IpAddress?> at, bool[] inPool, IpVersion version)
    {
        var (_, height) = index.CheckStructure();
        var ranges = index.FreeRanges().ToList();
        RangeSetTests.AssertNormalized(ranges);
        Assert.All(ranges, r => Assert.Equal(version, r.Version));
        var actual = ranges.SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => r.First.Add((UInt128)i))).ToList();
        var expected = free.Select(f => at(f)!.Value).ToList();
        if (!expected.SequenceEqual(actual))
        {
            Assert.Equal(expected, actual);
        }

        Assert.Equal((UInt128)free.Count, index.FreeCount);
        Assert.True(free.All(f => inPool[f]), "the model holds a free address outside the pools");
        return height;
    }

    internal sealed record Scenario(
        int Universe,
        (int Start, int Length)[] Pools,
        int Pattern,
        int Stride,
        int Density,
        int AllocSeed,
        int HotStart,
        (OpKind Kind, bool Hot, int Offset, ulong Index)[] Ops);
}
