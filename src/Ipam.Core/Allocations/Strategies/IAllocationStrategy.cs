namespace Ipam.Allocations.Strategies;

/// <summary>
/// How an allocation without a specific address chooses among the free pool addresses of a subnet. Requests
/// name a strategy by <see cref="Name"/>; add one by registering another implementation of this interface.
/// </summary>
public interface IAllocationStrategy
{
    /// <summary>The name requests use, compared ordinally (case-sensitive), e.g. <see cref="AllocationStrategies.Random"/>.</summary>
    string Name { get; }

    /// <summary>Takes one free address out of <paramref name="free"/> and returns it.</summary>
    /// <remarks>
    /// Called with the index's lock held and only when <see cref="IFreeAddresses.FreeCount"/> is at least one;
    /// a bulk request calls it once per address. The database still refuses an address another writer took
    /// first, and the allocator then picks again.
    /// </remarks>
    IpAddress Pick(IFreeAddresses free);

    /// <summary>
    /// Whether a pick made from a view that may still show free some addresses other writers have taken since is as
    /// good as one made from the current view, as long as it is still free and nothing was freed in between: true
    /// for the lowest free address and for a uniform pick (uniform over the current free addresses, given that it
    /// is one of them). Such a pick may be made before the catch-up read and sent with it, saving a round trip.
    /// </summary>
    bool PicksAlikeFromAStaleView => false;

    /// <summary>
    /// Whether picks that several writers make from views alike seldom meet: true for a uniform pick, false for the
    /// lowest free address, which every writer picks. Where true, a pick may also be made from a view that misses what
    /// other instances took since, and the database's refusal of a taken address is the exception.
    /// </summary>
    bool SpreadsPicks => false;
}
