namespace Ipam.Allocations.Strategies;

/// <summary>The names of the built-in <see cref="IAllocationStrategy"/> implementations, as requests spell them.</summary>
public static class AllocationStrategies
{
    /// <summary>Uniformly at random among all free pool addresses.</summary>
    public const string Random = "random";

    /// <summary>The lowest free pool address.</summary>
    public const string Next = "next";

    /// <summary>The strategy of a request that names none.</summary>
    public const string Default = Random;

    /// <summary>The built-in names, in the order help texts and error messages list them.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [Random, Next];

    /// <summary>The built-in strategies, in the order of <see cref="BuiltInNames"/>.</summary>
    /// <param name="random">Where the random strategy draws its picks; tests script it.</param>
    public static IReadOnlyList<IAllocationStrategy> BuiltIn(IRandomSource random) =>
        [new RandomAllocationStrategy(random), new NextAllocationStrategy()];
}
