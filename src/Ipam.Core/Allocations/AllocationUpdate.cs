namespace Ipam.Allocations;

/// <summary>
/// What a change of an allocation sets; an absent member stays as it is. The address, its owner and when it was
/// allocated never change: history tells holders apart by them, so a new owner means a release and a new allocation.
/// </summary>
public sealed record AllocationUpdate
{
    public Optional<string?> Description { get; init; }

    /// <summary>The reservation's new end (in the future), or null for none: the allocation is kept until released.</summary>
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
}
