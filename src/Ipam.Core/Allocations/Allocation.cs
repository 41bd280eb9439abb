namespace Ipam.Allocations;

/// <summary>An allocated address.</summary>
public sealed record Allocation
{
    public required Guid SubnetId { get; init; }

    public required IpAddress Address { get; init; }

    public string? Owner { get; init; }

    public string? Description { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When set, the allocation is a reservation released automatically after this time.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The actor that made the allocation (null for allocations made before the change log existed).</summary>
    public string? CreatedBy { get; init; }
}
