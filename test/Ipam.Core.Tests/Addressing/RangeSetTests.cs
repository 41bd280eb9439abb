using CsCheck;
using Ipam.Addressing;

namespace Ipam.Core.Tests.Addressing;

/// <summary>RangeSet against a bool-array model over a universe of 256 consecutive addresses.</summary>
public sealed class RangeSetTests
{
    private const int Universe = 256;

    private static readonly Gen<(int Start, int Length)[]> RangesGen =
        Gen.Select(Gen.Int[0, Universe - 1], Gen.Int[1, 24]).Array[0, 12];

    public static TheoryData<string> Bases =>
    [
        "10.0.0.0",
        "255.255.255.0",
        "fd00::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00",
    ];

    [Theory]
    [MemberData(nameof(Bases))]
    public void Of_RandomRanges_IsNormalizedAndHoldsTheirUnion(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        RangesGen.Sample(ranges =>
        {
            var set = RangeSet.Of(origin.Version, ToRanges(origin, ranges));

            AssertEquivalent(origin, Model(ranges), set);
        }, iter: 500);
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void UnionExceptIntersect_RandomSets_MatchModel(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        Gen.Select(RangesGen, RangesGen).Sample((left, right) =>
        {
            var a = RangeSet.Of(origin.Version, ToRanges(origin, left));
            var b = RangeSet.Of(origin.Version, ToRanges(origin, right));
            var ma = Model(left);
            var mb = Model(right);

            AssertEquivalent(origin, Combine(ma, mb, (x, y) => x || y), a.Union(b));
            AssertEquivalent(origin, Combine(ma, mb, (x, y) => x && !y), a.Except(b));
            AssertEquivalent(origin, Combine(ma, mb, (x, y) => x && y), a.Intersect(b));
            AssertEquivalent(origin, Combine(mb, ma, (x, y) => x && !y), b.Except(a));
            AssertEquivalent(origin, ma, a);
            AssertEquivalent(origin, mb, b);
        }, iter: 500);
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void ExceptAddress_RandomSetAndAddress_RemovesOnlyThatAddress(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        Gen.Select(RangesGen, Gen.Int[0, Universe - 1]).Sample((ranges, offset) =>
        {
            var model = Model(ranges);
            model[offset] = false;

            AssertEquivalent(origin, model, RangeSet.Of(origin.Version, ToRanges(origin, ranges)).Except(At(origin, offset)));
        }, iter: 300);
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void CountElementAtContains_RandomSet_MatchModel(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        var otherFamily = origin.Version == IpVersion.V4 ? IpAddress.Parse("::1") : IpAddress.Parse("10.0.0.1");
        Gen.Select(RangesGen, RangesGen).Sample((ranges, queries) =>
        {
            var set = RangeSet.Of(origin.Version, ToRanges(origin, ranges));
            var model = Model(ranges);
            var members = Enumerable.Range(0, Universe).Where(i => model[i]).ToArray();

            Assert.Equal((UInt128)members.Length, set.Count);
            Assert.Equal(members.Length == 0, set.IsEmpty);
            for (var k = 0; k < members.Length; k++)
            {
                Assert.Equal(At(origin, members[k]), set.ElementAt((UInt128)k));
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => set.ElementAt((UInt128)members.Length));

            for (var i = 0; i < Universe; i++)
            {
                Assert.Equal(model[i], set.Contains(At(origin, i)));
            }

            if (origin.Value > 0)
            {
                Assert.False(set.Contains(new IpAddress(origin.Version, origin.Value - 1)));
            }

            Assert.False(set.Contains(otherFamily));

            foreach (var range in ToRanges(origin, queries))
            {
                var expected = Enumerable.Range(Offset(origin, range.First), (int)range.Count).All(i => model[i]);
                Assert.Equal(expected, set.Contains(range));
            }
        }, iter: 300);
    }

    [Fact]
    public void Of_Ipv6RangesTouchingTheTop_MergeAndCount()
    {
        var max = UInt128.MaxValue;
        var set = RangeSet.Of(IpVersion.V6,
        [
            V6(max - 5, max),
            V6(max - 10, max - 6),
            V6(max, max),
            V6(max - 20, max - 12),
        ]);

        Assert.Equal([V6(max - 20, max - 12), V6(max - 10, max)], set.Ranges);
        Assert.Equal((UInt128)20, set.Count);
        Assert.Equal(new IpAddress(IpVersion.V6, max), set.ElementAt(19));
        Assert.True(set.Contains(new IpAddress(IpVersion.V6, max)));
        Assert.False(set.Contains(new IpAddress(IpVersion.V6, max - 11)));
        Assert.True(set.Contains(V6(max - 3, max)));
    }

    [Fact]
    public void UnionExceptIntersect_Ipv6AtTheTop_HandleTheLastAddress()
    {
        var max = UInt128.MaxValue;
        var top = RangeSet.Of(V6(max, max));
        var below = RangeSet.Of(V6(max - 1, max - 1));
        var span = RangeSet.Of(V6(max - 9, max));

        Assert.Equal([V6(max - 1, max)], top.Union(below).Ranges);
        Assert.Equal([V6(max - 9, max - 1)], span.Except(top).Ranges);
        Assert.Equal([V6(max - 9, max - 2)], span.Except(top.Union(below)).Ranges);
        Assert.Equal([V6(max, max)], span.Intersect(top).Ranges);
        Assert.True(top.Except(span).IsEmpty);
        Assert.Equal([V6(max - 9, max - 5), V6(max - 3, max)], span.Except(new IpAddress(IpVersion.V6, max - 4)).Ranges);
        Assert.Equal([V6(0, 0), V6(max, max)], RangeSet.Of(V6(0, 0)).Union(top).Ranges);
    }

    [Fact]
    public void UnionExceptIntersect_Ipv4AtTheTop_HandleBroadcastAll()
    {
        var all = IpAddress.Parse("255.255.255.255");
        var top = RangeSet.Of(new AddressRange(all, all));
        var span = RangeSet.Of(new AddressRange(IpAddress.Parse("255.255.255.250"), all));
        var lower = RangeSet.Of(new AddressRange(IpAddress.Parse("255.255.255.240"), IpAddress.Parse("255.255.255.249")));

        Assert.Equal([new AddressRange(IpAddress.Parse("255.255.255.240"), all)], span.Union(lower).Ranges);
        Assert.Equal([new AddressRange(IpAddress.Parse("255.255.255.250"), IpAddress.Parse("255.255.255.254"))], span.Except(top).Ranges);
        Assert.Equal([new AddressRange(all, all)], span.Intersect(top).Ranges);
        Assert.Equal(all, span.ElementAt(5));
        Assert.Equal((UInt128)6, span.Count);
    }

    [Fact]
    public void Combine_DifferentFamilies_Throws()
    {
        var v4 = RangeSet.Of(new AddressRange(IpAddress.Parse("10.0.0.1"), IpAddress.Parse("10.0.0.2")));
        var v6 = RangeSet.Of(V6(1, 2));

        Assert.Throws<ArgumentException>(() => v4.Union(v6));
        Assert.Throws<ArgumentException>(() => v4.Except(v6));
        Assert.Throws<ArgumentException>(() => v4.Intersect(v6));
        Assert.Throws<ArgumentException>(() => RangeSet.Of(IpVersion.V4, [V6(1, 2)]));
        Assert.False(v4.Contains(V6(1, 2)));
    }

    private static AddressRange V6(UInt128 first, UInt128 last) =>
        new(new IpAddress(IpVersion.V6, first), new IpAddress(IpVersion.V6, last));

    private static IpAddress At(IpAddress origin, int offset) => origin.Add((UInt128)offset);

    private static int Offset(IpAddress origin, IpAddress address) => (int)(address.Value - origin.Value);

    private static List<AddressRange> ToRanges(IpAddress origin, (int Start, int Length)[] ranges) =>
        [.. ranges.Select(r => new AddressRange(At(origin, r.Start), At(origin, Math.Min(Universe - 1, r.Start + r.Length - 1))))];

    private static bool[] Model((int Start, int Length)[] ranges)
    {
        var model = new bool[Universe];
        foreach (var (start, length) in ranges)
        {
            for (var i = start; i < Math.Min(Universe, start + length); i++)
            {
                model[i] = true;
            }
        }

        return model;
    }

    private static bool[] Combine(bool[] a, bool[] b, Func<bool, bool, bool> op) =>
        [.. Enumerable.Range(0, Universe).Select(i => op(a[i], b[i]))];

    /// <summary>The set holds exactly the model's addresses, as sorted, disjoint, non-adjacent ranges.</summary>
    internal static void AssertNormalized(IReadOnlyList<AddressRange> ranges)
    {
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.Equal(ranges[0].Version, ranges[i].Version);
            Assert.True(ranges[i].First.Value > ranges[i - 1].Last.Value + 1,
                $"ranges {ranges[i - 1]} and {ranges[i]} are out of order, overlapping or adjacent");
        }
    }

    private static void AssertEquivalent(IpAddress origin, bool[] model, RangeSet set)
    {
        Assert.Equal(origin.Version, set.Version);
        var ranges = set.Ranges;
        AssertNormalized(ranges);
        var actual = new bool[Universe];
        foreach (var range in ranges)
        {
            Assert.True(range.First.Value >= origin.Value && range.Last.Value - origin.Value < Universe, $"{range} is outside the universe");
            for (var i = Offset(origin, range.First); i <= Offset(origin, range.Last); i++)
            {
                actual[i] = true;
            }
        }

        if (!model.SequenceEqual(actual))
        {
            Assert.Equal(model, actual);
        }

        Assert.Equal((UInt128)model.Count(m => m), set.Count);
    }
}
