using CsCheck;
using Ipam.Addressing;

namespace Ipam.Core.Tests.Addressing;

/// <summary>RangeSet.ToCidrs and AddressRange.ToCidrs: exact cover, ascending, and minimal (every block maximal).</summary>
public sealed class RangeSetToCidrsTests
{
    private const int Universe = 512;

    public static TheoryData<string> Bases =>
    [
        "10.0.0.0",
        "255.255.254.0",
        "2001:db8::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fe00",
    ];

    [Theory]
    [MemberData(nameof(Bases))]
    public void ToCidrs_RandomSets_CoverExactlyWithMaximalBlocks(string universeBase)
    {
        var origin = IpAddress.Parse(universeBase);
        Gen.Select(Gen.Int[0, Universe - 1], Gen.Int[1, 64]).Array[0, 10].Sample(ranges =>
        {
            var set = RangeSet.Of(origin.Version, ranges.Select(r => new AddressRange(
                origin.Add((UInt128)r.Item1), origin.Add((UInt128)Math.Min(Universe - 1, r.Item1 + r.Item2 - 1)))));
            var cidrs = set.ToCidrs();

            // Ascending and disjoint.
            for (var i = 1; i < cidrs.Count; i++)
            {
                Assert.True(cidrs[i - 1].Last.Value < cidrs[i].First.Value, $"{cidrs[i - 1]} before {cidrs[i]}");
            }

            // Exactly the set.
            var rebuilt = RangeSet.Of(origin.Version, cidrs.Select(c => c.Range));
            Assert.Equal(set.Ranges, rebuilt.Ranges);

            // Minimal: no block's parent lies inside the set, so no two blocks could be merged.
            foreach (var cidr in cidrs.Where(c => c.PrefixLength > 0))
            {
                var parent = Cidr.Containing(cidr.Network, cidr.PrefixLength - 1);
                Assert.False(set.Contains(parent.Range), $"{cidr} is not maximal: {parent} is inside the set");
            }
        }, iter: 400);
    }

    [Theory]
    [InlineData("10.0.0.0", "10.0.0.255", "10.0.0.0/24")]
    [InlineData("10.0.0.1", "10.0.0.6", "10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32")]
    [InlineData("0.0.0.0", "255.255.255.255", "0.0.0.0/0")]
    [InlineData("::", "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/1")]
    [InlineData("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1/128")]
    [InlineData("2001:db8::", "2001:db8::1:ffff", "2001:db8::/111")]
    public void ToCidrs_KnownRanges_GiveExpectedList(string first, string last, string expected)
    {
        var range = new AddressRange(IpAddress.Parse(first), IpAddress.Parse(last));

        var cidrs = range.ToCidrs();

        if (expected == "::1/128")
        {
            // ::1 to the top of the space: one block per bit, 128 of them.
            Assert.Equal(128, cidrs.Count);
            Assert.Equal("::1/128", cidrs[0].ToString());
            Assert.Equal("8000::/1", cidrs[^1].ToString());
            return;
        }

        Assert.Equal(expected, string.Join(" ", cidrs));
    }

    [Fact]
    public void ToCidrs_EmptySet_IsEmpty() => Assert.Empty(RangeSet.Empty(IpVersion.V6).ToCidrs());
}
