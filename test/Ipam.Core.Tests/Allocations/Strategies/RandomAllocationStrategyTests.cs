using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;

namespace Ipam.Core.Tests.Allocations.Strategies;

public sealed class RandomAllocationStrategyTests
{
    [Fact]
    public void Name_IsTheWireName() => Assert.Equal("random", new RandomAllocationStrategy(new ScriptedRandomSource()).Name);

    [Fact]
    public void Pick_ScriptedDraws_TakeTheKthFreeAddressOverAllFreeAddresses()
    {
        // Pools 10.0.0.10-14 and 10.0.0.20-24 with .11 and .22 taken: free are .10 .12 .13 .14 .20 .21 .23 .24.
        var index = Index(["10.0.0.10-10.0.0.14", "10.0.0.20-10.0.0.24"], "10.0.0.11", "10.0.0.22");
        var random = new ScriptedRandomSource(4, 0, 5);
        var strategy = new RandomAllocationStrategy(random);

        Assert.Equal(IpAddress.Parse("10.0.0.20"), strategy.Pick(index));
        Assert.Equal(IpAddress.Parse("10.0.0.10"), strategy.Pick(index));
        Assert.Equal(IpAddress.Parse("10.0.0.24"), strategy.Pick(index));

        // Each draw is uniform over what is free at that moment.
        Assert.Equal([8, 7, 6], random.Bounds);
        Assert.Equal((UInt128)5, index.FreeCount);
        Assert.False(index.IsFree(IpAddress.Parse("10.0.0.20")));
    }

    [Fact]
    public void Pick_LastFreeAddress_DrawsBelowOne()
    {
        var index = Index(["2001:db8::5-2001:db8::5"]);
        var random = new ScriptedRandomSource(0);

        Assert.Equal(IpAddress.Parse("2001:db8::5"), new RandomAllocationStrategy(random).Pick(index));
        Assert.Equal([1], random.Bounds);
        Assert.Equal(UInt128.Zero, index.FreeCount);
    }

    /// <summary>An index over pools written <c>first-last</c>, with <paramref name="allocated"/> taken.</summary>
    internal static FreeRangeIndex Index(string[] pools, params string[] allocated)
    {
        var ranges = pools.Select(p => p.Split('-')).Select(p => new AddressRange(IpAddress.Parse(p[0]), IpAddress.Parse(p[1]))).ToArray();
        return new FreeRangeIndex(RangeSet.Of(ranges[0].Version, ranges), allocated.Select(IpAddress.Parse));
    }
}
