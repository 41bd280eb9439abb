using Ipam.Addressing;

namespace Ipam.Storage;

/// <summary>A page of one subnet's allocations ordered by address, optionally filtered by owner.</summary>
public sealed record AllocationQuery
{
    public required Guid SubnetId { get; init; }

    public string? Owner { get; init; }

    /// <summary>Return allocations whose address sorts after this one.</summary>
    public IpAddress? After { get; init; }

    public int Limit { get; init; } = 100;
}
