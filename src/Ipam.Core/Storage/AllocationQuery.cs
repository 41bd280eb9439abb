namespace Ipam.Storage;

/// <summary>A page of one subnet's allocations ordered by address, optionally filtered by owner.</summary>
public sealed record AllocationQuery : KeysetQuery<IpAddress>
{
    public required Guid SubnetId { get; init; }

    public string? Owner { get; init; }
}
