namespace Ipam.Allocations;

/// <summary>The cached free-space index of one subnet revision, with the lock that guards it.</summary>
public sealed class FreeSpace(Guid subnetId, long revision, FreeRangeIndex index)
{
    public Guid SubnetId { get; } = subnetId;

    public long Revision { get; } = revision;

    public FreeRangeIndex Index { get; } = index;

    public Lock Gate { get; } = new();
}
