namespace Ipam.History;

/// <summary>
/// The time one allocation held an address in one subnet: the current allocation (<see cref="ReleasedAt"/> null)
/// or one that ended, as the change log recorded its end.
/// </summary>
/// <param name="Sequence">The log position of the change that ended the allocation, or <see cref="Current"/>.</param>
/// <param name="SubnetId">The subnet the address was allocated in.</param>
/// <param name="Cidr">The subnet's CIDR, kept by the log for subnets deleted since (null only for entries written without one).</param>
/// <param name="Address">The address held.</param>
/// <param name="Owner">The allocation's owner.</param>
/// <param name="Description">The allocation's description.</param>
/// <param name="AllocatedAt">When the allocation was made.</param>
/// <param name="AllocatedBy">Who made it.</param>
/// <param name="ReleasedAt">When it ended, or null while it is current.</param>
/// <param name="ReleasedBy">Who ended it.</param>
/// <param name="ReleaseReason">One of <see cref="Changes.ReleaseReasons"/>, or null while the allocation is current.</param>
public sealed record AllocationPeriod(
    long Sequence,
    Guid SubnetId,
    Cidr? Cidr,
    IpAddress Address,
    string? Owner,
    string? Description,
    DateTimeOffset AllocatedAt,
    string? AllocatedBy,
    DateTimeOffset? ReleasedAt = null,
    string? ReleasedBy = null,
    string? ReleaseReason = null)
{
    /// <summary>The <see cref="Sequence"/> of a current allocation: it sorts after every entry of the change log.</summary>
    public const long Current = long.MaxValue;
}
