using CsCheck;
using Ipam.Addressing;
using Ipam.SubnetPools;

namespace Ipam.Core.Tests.SubnetPools;

/// <summary>Pages of the free space from a cursor against the whole minimal CIDR list (prefixes minus subnets).</summary>
public sealed class FreePrefixWalkTests
{
    /// <summary>Up to 8 pool prefixes and 60 disjoint subnets in a universe of 4,096 addresses, and a page size.</summary>
    private static readonly Gen<((int Offset, int HostBits)[] Prefixes, (int Offset, int HostBits)[] Subnets, int Limit)> ScenarioGen =
        from prefixes in Gen.Select(Gen.Int[0, 4095], Gen.Int[4, 11]).Array[1, 8]
        from subnets in Gen.Select(Gen.Int[0, 4095], Gen.Int[0, 6]).Array[0, 60]
        from limit in Gen.Int[1, 12]
        select (prefixes, subnets, limit);

    public static TheoryData<string> Bases => ["10.0.0.0", "fd00::", "255.255.240.0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:f000"];

    [Theory]
    [MemberData(nameof(Bases))]
    public void PageAsync_PagesFollowingTheirCursors_ConcatenateToTheWholeList(string universeBase)
    {
        ScenarioGen.Sample(scenario =>
        {
            var (prefixes, subnets) = Build(universeBase, scenario.Prefixes, scenario.Subnets);
            var whole = Whole(prefixes, subnets);
            var pages = new List<Cidr>();
            IpAddress? cursor = null;
            for (var guard = 0; guard <= whole.Count; guard++)
            {
                var page = Page(prefixes, subnets, cursor, scenario.Limit);
                pages.AddRange(page);
                if (page.Count < scenario.Limit)
                {
                    break;
                }

                cursor = page[^1].First;
            }

            Assert.Equal(whole, pages);
        }, iter: 150);
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void PageAsync_AnyCursor_TheWholeListsCidrsStartingAfterIt(string universeBase)
    {
        var gen = from scenario in ScenarioGen from cursor in Gen.Int[0, 4095] select (scenario, cursor);
        gen.Sample(sample =>
        {
            var (scenario, offset) = sample;
            var (prefixes, subnets) = Build(universeBase, scenario.Prefixes, scenario.Subnets);
            var cursor = new IpAddress(prefixes.Version, IpAddress.Parse(universeBase).Value + (UInt128)offset);

            var page = Page(prefixes, subnets, cursor, scenario.Limit);

            Assert.Equal(Whole(prefixes, subnets).Where(c => c.First.Value > cursor.Value).Take(scenario.Limit), page);
        }, iter: 150);
    }

    [Fact]
    public void PageAsync_LongRunOfAdjacentSubnets_SkipsThemToTheNextFreeSpace()
    {
        var prefixes = RangeSet.Of(Cidr.Parse("10.0.0.0/16").Range);
        var subnets = Enumerable.Range(0, 300).Select(i => Cidr.Parse($"10.0.{i / 4}.{i % 4 * 64}/26")).ToList();

        var page = Page(prefixes, subnets, null, 2);

        Assert.Equal(["10.0.75.0/24", "10.0.76.0/22"], page.Select(c => c.ToString()));
    }

    private static IReadOnlyList<Cidr> Page(RangeSet prefixes, List<Cidr> subnets, IpAddress? after, int limit)
    {
        var from = after is { } cursor ? cursor.Value + 1 : 0;
        if (after is { } last && last.Value == IpFamily.Of(prefixes.Version).MaxValue)
        {
            return [];
        }

        var before = subnets.LastOrDefault(s => s.First.Value < from);
        var subnetsFrom = subnets.Where(s => s.First.Value >= from).ToAsyncEnumerable();
        return FreePrefixWalk.PageAsync(prefixes, from, before == default ? null : before, subnetsFrom, limit, CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
    }

    private static List<Cidr> Whole(RangeSet prefixes, List<Cidr> subnets) =>
        [.. prefixes.Except(RangeSet.Of(prefixes.Version, subnets.Select(s => s.Range))).ToCidrs()];

    /// <summary>The pool's prefixes and its subnets (disjoint, ascending; they may reach outside the prefixes) above a base address.</summary>
    private static (RangeSet Prefixes, List<Cidr> Subnets) Build(string universeBase, (int Offset, int HostBits)[] prefixes, (int Offset, int HostBits)[] subnets)
    {
        var origin = IpAddress.Parse(universeBase);
        Cidr At(int offset, int hostBits)
        {
            var aligned = (UInt128)(offset >> hostBits << hostBits);
            var bits = IpFamily.Of(origin.Version).Bits;
            return new Cidr(new IpAddress(origin.Version, origin.Value + aligned), bits - hostBits);
        }

        var prefixSet = RangeSet.Of(origin.Version, prefixes.Select(p => At(p.Offset, p.HostBits).Range));
        var chosen = new List<Cidr>();
        foreach (var (offset, hostBits) in subnets)
        {
            var subnet = At(offset, hostBits);
            if (!chosen.Any(c => c.Range.Overlaps(subnet.Range)))
            {
                chosen.Add(subnet);
            }
        }

        return (prefixSet, [.. chosen.OrderBy(c => c.First.Value)]);
    }
}
