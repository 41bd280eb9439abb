using Ipam.Addressing;
using Ipam.Allocations.Strategies;

namespace Ipam.Core.Tests.Allocations.Strategies;

public sealed class NextAllocationStrategyTests
{
    [Fact]
    public void Name_IsTheWireName() => Assert.Equal("next", new NextAllocationStrategy().Name);

    [Fact]
    public void Pick_Repeatedly_TakesFreeAddressesInAscendingOrderAcrossPools()
    {
        var index = RandomAllocationStrategyTests.Index(["10.0.0.20-10.0.0.22", "10.0.0.2-10.0.0.4"], "10.0.0.2", "10.0.0.4");
        var strategy = new NextAllocationStrategy();

        string[] picks = [.. Enumerable.Range(0, 4).Select(_ => strategy.Pick(index).ToString())];

        Assert.Equal(["10.0.0.3", "10.0.0.20", "10.0.0.21", "10.0.0.22"], picks);
        Assert.Equal(UInt128.Zero, index.FreeCount);
    }

    [Fact]
    public void Pick_AfterARelease_TakesTheReleasedAddressFirst()
    {
        var index = RandomAllocationStrategyTests.Index(["fd00::10-fd00::20"], "fd00::10", "fd00::11", "fd00::12");
        var strategy = new NextAllocationStrategy();

        Assert.Equal(IpAddress.Parse("fd00::13"), strategy.Pick(index));
        index.Add(IpAddress.Parse("fd00::11"));
        Assert.Equal(IpAddress.Parse("fd00::11"), strategy.Pick(index));
        Assert.Equal(IpAddress.Parse("fd00::14"), strategy.Pick(index));
    }
}
