namespace Ipam.Storage;

/// <summary>A page of one owner's allocations across subnets, ordered by subnet id and address.</summary>
public sealed record OwnerAllocationQuery : KeysetQuery<AllocationKey>
{
    public required string Owner { get; init; }

    /// <summary>Only allocations in this tenant's subnets, when set.</summary>
    public string? TenantId { get; init; }
}
