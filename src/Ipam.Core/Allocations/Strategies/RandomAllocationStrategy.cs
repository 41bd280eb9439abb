namespace Ipam.Allocations.Strategies;

/// <summary>
/// Any free pool address, each with the same chance: the k-th free address for a uniform k, so a nearly
/// full subnet costs no more retries than an empty one, and guessing the next address handed out is hard.
/// </summary>
internal sealed class RandomAllocationStrategy(IRandomSource random) : IAllocationStrategy
{
    public string Name => AllocationStrategies.Random;

    public bool PicksAlikeFromAStaleView => true;

    public bool SpreadsPicks => true;

    public IpAddress Pick(IFreeAddresses free)
    {
        ArgumentNullException.ThrowIfNull(free);
        return free.TakeAt(random.NextBelow(free.FreeCount));
    }
}
