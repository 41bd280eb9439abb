namespace Ipam.History;

/// <summary>
/// A page of one address's history in one subnet, newest first: the periods whose <see cref="AllocationPeriod.Sequence"/>
/// is below <see cref="KeysetQuery{TKey}.After"/> (the last one of the previous page); the first page starts with
/// the current allocation.
/// </summary>
public sealed record AddressHistoryQuery : KeysetQuery<long>
{
    public required Guid SubnetId { get; init; }

    public required IpAddress Address { get; init; }
}
