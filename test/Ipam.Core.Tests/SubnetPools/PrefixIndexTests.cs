using CsCheck;
using Ipam.Addressing;
using Ipam.SubnetPools;

namespace Ipam.Core.Tests.SubnetPools;

/// <summary>
/// PrefixIndex against a brute-force model: a bool per address of a small universe, the free blocks found by
/// testing every aligned block, and Neutron's choice (smallest free block that fits, lowest address first).
/// </summary>
public sealed class PrefixIndexTests
{
    public static TheoryData<string> Bases => ["10.0.0.0", "255.255.252.0", "2001:db8::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fc00"];

    [Theory]
    [MemberData(nameof(Bases))]
    public void Operations_RandomSequences_MatchBruteForceModel(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        Gen.Select(Gen.Int[3, 10], Gen.Int, Gen.Int[50, 400]).Sample((universeBits, seed, steps) =>
            Run(origin, universeBits, seed, steps), iter: 80);
    }

    /// <summary>
    /// The property: after any sequence of allocations and releases, the free blocks and the allocated
    /// prefixes together are exactly the pool prefixes, and never overlap.
    /// </summary>
    [Theory]
    [MemberData(nameof(Bases))]
    public void FreeBlocksAndAllocated_AfterAnySequence_PartitionThePool(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        Gen.Select(Gen.Int[4, 10], Gen.Int, Gen.Int[20, 300]).Sample((universeBits, seed, steps) =>
        {
            var random = new Random(seed);
            var bits = origin.Family.Bits;
            var universe = new Cidr(origin, bits - universeBits);
            var pool = RandomPool(random, universe);
            var index = new PrefixIndex(pool, []);
            var allocated = new List<Cidr>();
            for (var step = 0; step < steps; step++)
            {
                if (allocated.Count > 0 && random.Next(3) == 0)
                {
                    var victim = allocated[random.Next(allocated.Count)];
                    allocated.Remove(victim);
                    Assert.True(index.Release(victim));
                }
                else if (random.Next(4) == 0)
                {
                    var specific = RandomBlock(random, universe);
                    if (index.TryTake(specific))
                    {
                        allocated.Add(specific);
                    }
                }
                else if (index.TakeBestFit(random.Next(universe.PrefixLength, bits + 1)) is { } block)
                {
                    allocated.Add(block);
                }

                AssertPartition(pool, index.FreeBlocks(), allocated);
            }
        }, iter: 100);
    }

    [Fact]
    public void TakeBestFit_NeutronExample_PrefersTheSmallestBlockThatFits()
    {
        // neutron-behaviour.md items 69 and 70.
        var pool = Set("10.10.0.0/16", "192.168.1.0/24");
        var index = new PrefixIndex(pool, []);

        Assert.Equal("192.168.1.0/24", index.TakeBestFit(24).ToString());
        Assert.Equal("10.10.0.0/21", index.TakeBestFit(21).ToString());
        Assert.Equal("10.10.8.0/24", index.TakeBestFit(24).ToString());
        Assert.Equal("10.10.9.0/24", index.TakeBestFit(24).ToString());
        Assert.Equal("10.10.16.0/20", index.TakeBestFit(20).ToString());
    }

    [Fact]
    public void TakeBestFit_SmallHoleBeforeLargeBlock_FillsTheHoleFirst()
    {
        // 10.0.0.0/24 with 10.0.0.0/26 taken: free are .64/26 and .128/25; a /27 comes from the /26.
        var index = new PrefixIndex(Set("10.0.0.0/24"), [Cidr.Parse("10.0.0.0/26")]);

        Assert.Equal("10.0.0.64/27", index.TakeBestFit(27).ToString());
        Assert.Equal("10.0.0.128/25", index.TakeBestFit(25).ToString());
        Assert.Equal("10.0.0.96/27", index.TakeBestFit(27).ToString());
        Assert.Null(index.TakeBestFit(32));
    }

    [Fact]
    public void TakeBestFit_NothingLargeEnough_ReturnsNullAndChangesNothing()
    {
        var index = new PrefixIndex(Set("10.0.0.0/25", "10.0.1.0/25"), []);

        Assert.Null(index.TakeBestFit(24));
        Assert.Equal(["10.0.0.0/25", "10.0.1.0/25"], index.FreeBlocks().Select(c => c.ToString()));
    }

    [Fact]
    public void Ipv6Slash32_ScatteredSlash64s_FreeBlocksAreTheMinimalList()
    {
        var pool = Set("2001:db8::/32");
        Cidr[] taken = [Cidr.Parse("2001:db8::/64"), Cidr.Parse("2001:db8:0:5::/64"), Cidr.Parse("2001:db8:1234:5678::/64"), Cidr.Parse("2001:db8:ffff:ffff::/64")];
        var index = new PrefixIndex(pool, taken);

        var free = index.FreeBlocks();

        Assert.Equal(pool.Except(RangeSet.Of(IpVersion.V6, taken.Select(t => t.Range))).ToCidrs(), free);
        Assert.Equal("2001:db8:0:1::/64", free[0].ToString());
        Assert.Equal("2001:db8:ffff:fffe::/64", free[^1].ToString());
        AssertPartition(pool, free, taken);

        // The next /64 fills the smallest hole: the /64 right after the first one.
        Assert.Equal("2001:db8:0:1::/64", index.TakeBestFit(64).ToString());
        Assert.Equal("2001:db8:0:4::/64", index.TakeBestFit(64).ToString());
    }

    [Fact]
    public void Release_BuddiesFree_MergeBackIntoOneBlock()
    {
        var index = new PrefixIndex(Set("10.0.0.0/16"), []);
        var taken = Enumerable.Range(0, 256).Select(_ => index.TakeBestFit(24)!.Value).ToList();
        Assert.Empty(index.FreeBlocks());

        foreach (var block in taken.OrderBy(b => b.Network.Value * 7919 % 256))
        {
            Assert.True(index.Release(block));
        }

        Assert.Equal(["10.0.0.0/16"], index.FreeBlocks().Select(c => c.ToString()));
    }

    [Fact]
    public void Release_AlreadyFreeOrOutsideThePool_IsRefused()
    {
        var index = new PrefixIndex(Set("10.0.0.0/24"), [Cidr.Parse("10.0.0.0/25")]);

        Assert.False(index.Release(Cidr.Parse("10.0.0.128/25")));
        Assert.False(index.Release(Cidr.Parse("10.0.0.0/24")));
        Assert.False(index.Release(Cidr.Parse("10.0.1.0/25")));
        Assert.False(index.Release(Cidr.Parse("2001:db8::/64")));
        Assert.True(index.Release(Cidr.Parse("10.0.0.0/26")));
        Assert.False(index.Release(Cidr.Parse("10.0.0.0/26")));
    }

    [Fact]
    public void TryTake_InsideAFreeBlock_SplitsAroundIt()
    {
        var index = new PrefixIndex(Set("10.0.0.0/22"), []);

        Assert.True(index.TryTake(Cidr.Parse("10.0.2.64/26")));
        Assert.False(index.TryTake(Cidr.Parse("10.0.2.0/24")));
        Assert.False(index.TryTake(Cidr.Parse("10.0.2.64/27")));

        Assert.Equal(["10.0.0.0/23", "10.0.2.0/26", "10.0.2.128/25", "10.0.3.0/24"], index.FreeBlocks().Select(c => c.ToString()));
    }

    [Fact]
    public void TakeBestFit_LargePools_CostsTheSameWhetherEmptyOrCrowded()
    {
        // A /8 holding 50,000 /24s and an IPv6 /32: each pick touches at most 33 (or 129) short lists.
        var crowded = new PrefixIndex(Set("10.0.0.0/8"), Enumerable.Range(0, 50_000).Select(i => new Cidr(new IpAddress(IpVersion.V4, (UInt128)(0x0A000000 + (i * 256))), 24)));
        var v6 = new PrefixIndex(Set("2001:db8::/32"), []);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.NotNull(crowded.TakeBestFit(24));
            Assert.NotNull(v6.TakeBestFit(64));
        }

        Assert.Equal("10.234.96.0/24", crowded.TakeBestFit(24).ToString());
        Assert.Equal("2001:db8:0:2710::/64", v6.TakeBestFit(64).ToString());
    }

    private static void Run(IpAddress origin, int universeBits, int seed, int steps)
    {
        var random = new Random(seed);
        var bits = origin.Family.Bits;
        var universe = new Cidr(origin, bits - universeBits);
        var pool = RandomPool(random, universe);
        var size = 1 << universeBits;
        var inPool = new bool[size];
        var free = new bool[size];
        for (var i = 0; i < size; i++)
        {
            inPool[i] = free[i] = pool.Contains(origin.Add((UInt128)i));
        }

        // Start from a random allocation pattern of aligned blocks.
        var initial = Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomBlock(random, universe))
            .Where(b => Enumerable.Range(Offset(origin, b.First), (int)b.Range.Count).All(i => free[i]))
            .ToList();
        var taken = new List<Cidr>();
        foreach (var block in initial)
        {
            if (Enumerable.Range(Offset(origin, block.First), (int)block.Range.Count).All(i => free[i]))
            {
                Mark(origin, free, block, false);
                taken.Add(block);
            }
        }

        var index = new PrefixIndex(pool, taken);
        Assert.Equal(ModelBlocks(origin, universe, free), index.FreeBlocks());

        for (var step = 0; step < steps; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                case 1:
                {
                    var length = random.Next(universe.PrefixLength, bits + 1);
                    var expected = ModelBlocks(origin, universe, free).Where(b => b.PrefixLength <= length)
                        .OrderByDescending(b => b.PrefixLength).ThenBy(b => b.Network.Value).Select(b => (Cidr?)new Cidr(b.Network, length)).FirstOrDefault();
                    var actual = index.TakeBestFit(length);
                    Assert.Equal(expected, actual);
                    if (actual is { } got)
                    {
                        Mark(origin, free, got, false);
                    }

                    break;
                }

                case 2:
                {
                    var block = RandomBlock(random, universe);
                    var expected = Enumerable.Range(Offset(origin, block.First), (int)block.Range.Count).All(i => free[i]);
                    Assert.Equal(expected, index.TryTake(block));
                    if (expected)
                    {
                        Mark(origin, free, block, false);
                    }

                    break;
                }

                default:
                {
                    var block = RandomBlock(random, universe);
                    var addresses = Enumerable.Range(Offset(origin, block.First), (int)block.Range.Count).ToList();
                    var expected = addresses.All(i => inPool[i] && !free[i]);
                    Assert.Equal(expected, index.Release(block));
                    if (expected)
                    {
                        Mark(origin, free, block, true);
                    }

                    break;
                }
            }

            Assert.Equal(ModelBlocks(origin, universe, free), index.FreeBlocks());
        }
    }

    /// <summary>1–4 random aligned blocks of the universe, merged.</summary>
    private static RangeSet RandomPool(Random random, Cidr universe)
    {
        var count = random.Next(1, 5);
        var blocks = Enumerable.Range(0, count).Select(_ => RandomBlock(random, universe, maxLengthOffset: Math.Min(universe.HostBits, 4)));
        return RangeSet.Of(universe.Version, blocks.Select(b => b.Range));
    }

    private static Cidr RandomBlock(Random random, Cidr universe, int? maxLengthOffset = null)
    {
        var length = universe.PrefixLength + random.Next(0, (maxLengthOffset ?? universe.HostBits) + 1);
        var offset = (UInt128)random.Next(0, 1 << universe.HostBits);
        return Cidr.Containing(universe.Network.Add(offset), length);
    }

    /// <summary>Every aligned block of the universe that is entirely free while its parent is not: the maximal free blocks.</summary>
    private static List<Cidr> ModelBlocks(IpAddress origin, Cidr universe, bool[] free)
    {
        var blocks = new List<Cidr>();
        var bits = origin.Family.Bits;
        for (var length = universe.PrefixLength; length <= bits; length++)
        {
            var size = 1 << (bits - length);
            for (var start = 0; start < free.Length; start += size)
            {
                if (!AllFree(free, start, size))
                {
                    continue;
                }

                var parentSize = size * 2;
                var parentStart = start / parentSize * parentSize;
                if (length > universe.PrefixLength && AllFree(free, parentStart, parentSize))
                {
                    continue;
                }

                blocks.Add(new Cidr(origin.Add((UInt128)start), length));
            }
        }

        return [.. blocks.OrderBy(b => b.Network.Value)];
    }

    private static bool AllFree(bool[] free, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (!free[i])
            {
                return false;
            }
        }

        return true;
    }

    private static void Mark(IpAddress origin, bool[] free, Cidr block, bool value)
    {
        for (var i = Offset(origin, block.First); i < Offset(origin, block.First) + (int)block.Range.Count; i++)
        {
            free[i] = value;
        }
    }

    private static int Offset(IpAddress origin, IpAddress address) => (int)(address.Value - origin.Value);

    private static void AssertPartition(RangeSet pool, IReadOnlyList<Cidr> free, IReadOnlyList<Cidr> allocated)
    {
        var pieces = free.Concat(allocated).Select(c => c.Range).OrderBy(r => r.First.Value).ToList();
        for (var i = 1; i < pieces.Count; i++)
        {
            Assert.True(pieces[i - 1].Last.Value < pieces[i].First.Value, $"{pieces[i - 1]} overlaps {pieces[i]}");
        }

        var union = RangeSet.Of(pool.Version, pieces);
        Assert.Equal(pool.Ranges, union.Ranges);
        Assert.Equal(pool.Except(RangeSet.Of(pool.Version, allocated.Select(a => a.Range))).ToCidrs(), free);
    }

    private static RangeSet Set(params string[] cidrs)
    {
        var parsed = cidrs.Select(Cidr.Parse).ToList();
        return RangeSet.Of(parsed[0].Version, parsed.Select(c => c.Range));
    }
}
