namespace Ipam.History;

/// <summary>
/// A page of who held an address at <see cref="At"/> (now when null) across the subnets that contain it, in
/// <see cref="HolderKey"/> order: the holders after <see cref="KeysetQuery{TKey}.After"/> (the last one of the previous page).
/// </summary>
public sealed record AddressHoldersQuery : KeysetQuery<HolderKey>
{
    public required IpAddress Address { get; init; }

    public DateTimeOffset? At { get; init; }

    /// <summary>Only holders in subnets of this tenant; set from the caller's identity, never from the request.</summary>
    public string? TenantId { get; init; }
}

/// <summary>
/// The order of an address's holders: by subnet id, then by the log position that ended the holding, a current
/// allocation (<see cref="AllocationPeriod.Current"/>) after every ended one of the same subnet id.
/// </summary>
public readonly record struct HolderKey(Guid SubnetId, long Sequence) : IComparable<HolderKey>
{
    public static HolderKey Of(AllocationPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return new HolderKey(period.SubnetId, period.Sequence);
    }

    public int CompareTo(HolderKey other)
    {
        var bySubnet = SubnetId.CompareTo(other.SubnetId);
        return bySubnet != 0 ? bySubnet : Sequence.CompareTo(other.Sequence);
    }
}
