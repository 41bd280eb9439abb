using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Errors;

namespace Ipam.Core.Tests.Allocations.Strategies;

public sealed class AllocationStrategyRegistryTests
{
    private static readonly AllocationStrategyRegistry BuiltIn = new(AllocationStrategies.BuiltIn(new ScriptedRandomSource()));

    [Theory]
    [InlineData("random", typeof(RandomAllocationStrategy))]
    [InlineData("next", typeof(NextAllocationStrategy))]
    public void Get_BuiltInName_ReturnsThatStrategy(string name, Type expected)
    {
        var strategy = BuiltIn.Get(name);

        Assert.IsType(expected, strategy);
        Assert.Equal(name, strategy.Name);
    }

    [Fact]
    public void Default_IsRandom() => Assert.IsType<RandomAllocationStrategy>(BuiltIn.Get(AllocationStrategies.Default));

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("lowest")]
    [InlineData("Random")]
    [InlineData("NEXT")]
    [InlineData(" next")]
    public void Get_UnknownName_ThrowsInvalidRequestOnStrategy(string name)
    {
        var error = Assert.Throws<ValidationException>(() => BuiltIn.Get(name));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        var message = Assert.Single(Assert.Contains("strategy", error.Errors));
        Assert.Equal($"strategy must be 'random' or 'next', not '{name}'.", message);
    }

    [Fact]
    public void Get_UserAddedStrategy_IsFoundByNameAndListedWhenRefusing()
    {
        var highest = new HighestFirstStrategy();
        var registry = new AllocationStrategyRegistry([.. AllocationStrategies.BuiltIn(new ScriptedRandomSource()), highest]);
        var index = RandomAllocationStrategyTests.Index(["10.0.0.1-10.0.0.9"]);

        Assert.Same(highest, registry.Get("highest"));
        Assert.Equal(IpAddress.Parse("10.0.0.9"), registry.Get("highest").Pick(index));
        Assert.IsType<NextAllocationStrategy>(registry.Get("next"));
        var error = Assert.Throws<ValidationException>(() => registry.Get("lowest"));
        Assert.Equal("strategy must be 'random', 'next' or 'highest', not 'lowest'.", error.Message);
    }

    [Fact]
    public void Constructor_TwoStrategiesWithOneName_Throws()
    {
        IAllocationStrategy[] strategies = [.. AllocationStrategies.BuiltIn(new ScriptedRandomSource()), new NextAllocationStrategy()];

        var error = Assert.Throws<ArgumentException>(() => new AllocationStrategyRegistry(strategies));
        Assert.Contains("'next'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltInNames_MatchTheBuiltInStrategiesInOrder() =>
        Assert.Equal(AllocationStrategies.BuiltInNames, AllocationStrategies.BuiltIn(new ScriptedRandomSource()).Select(s => s.Name));

    /// <summary>What a user might add: the highest free address.</summary>
    private sealed class HighestFirstStrategy : IAllocationStrategy
    {
        public string Name => "highest";

        public IpAddress Pick(IFreeAddresses free) => free.TakeAt(free.FreeCount - 1);
    }
}
