namespace Ipam.Allocations.Strategies;

/// <summary>
/// The lowest free pool address: addresses are handed out in order, and a released address is the next
/// one handed out again.
/// </summary>
internal sealed class NextAllocationStrategy : IAllocationStrategy
{
    public string Name => AllocationStrategies.Next;

    public bool PicksAlikeFromAStaleView => true;

    public IpAddress Pick(IFreeAddresses free)
    {
        ArgumentNullException.ThrowIfNull(free);
        return free.TakeAt(0);
    }
}
