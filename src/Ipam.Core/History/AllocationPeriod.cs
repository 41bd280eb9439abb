namespace Ipam.History;

/// <summary>
/// The time one allocation held an address in one subnet: the current allocation (<see cref="ReleasedAt"/> null)
/// or one that ended, as the change log recorded its end.
/// </summary>
public sealed record AllocationPeriod
{
    /// <summary>The <see cref="Sequence"/> of a current allocation: it sorts after every entry of the change log.</summary>
    public const long Current = long.MaxValue;

    /// <summary>The log position of the change that ended the allocation, or <see cref="Current"/>.</summary>
    public required long Sequence { get; init; }

    public required Guid SubnetId { get; init; }

    /// <summary>The subnet's CIDR, kept by the log for subnets deleted since (null only for entries written without one).</summary>
    public Cidr? Cidr { get; init; }

    public required IpAddress Address { get; init; }

    public string? Owner { get; init; }

    public string? Description { get; init; }

    public required DateTimeOffset AllocatedAt { get; init; }

    public string? AllocatedBy { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    public string? ReleasedBy { get; init; }

    /// <summary>One of <see cref="Changes.ReleaseReasons"/>, or null while the allocation is current.</summary>
    public string? ReleaseReason { get; init; }

    /// <summary>Whether the allocation held the address at <paramref name="time"/>: from its creation until (not at) its end.</summary>
    public bool HeldAt(DateTimeOffset time) => AllocatedAt <= time && (ReleasedAt is not { } end || time < end);
}
