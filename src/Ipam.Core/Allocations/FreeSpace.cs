using Ipam.Subnets;

namespace Ipam.Allocations;

/// <summary>The cached free-space index of one subnet revision, with the lock that guards it.</summary>
internal sealed class FreeSpace(Subnet subnet, FreeRangeIndex index)
{
    /// <summary>The subnet as it was when the index was built.</summary>
    public Subnet Subnet { get; } = subnet;

    public Guid SubnetId => Subnet.Id;

    public long Revision => Subnet.Revision;

    public FreeRangeIndex Index { get; } = index;

    public Lock Gate { get; } = new();
}
