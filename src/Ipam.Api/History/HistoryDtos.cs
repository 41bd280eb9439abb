namespace Ipam.Api.History;

/// <summary>One allocation of an address in a subnet's history; the release fields are null while it is current.</summary>
public sealed record AllocationHistoryDto(
    string IpAddress,
    string? Owner,
    string? Description,
    DateTimeOffset AllocatedAt,
    string? AllocatedBy,
    DateTimeOffset? ReleasedAt,
    string? ReleasedBy,
    string? ReleaseReason);

/// <summary>Who held an address in one subnet (which may have been deleted since) at the time asked about.</summary>
public sealed record AddressHolderDto(
    Guid SubnetId,
    string? Cidr,
    string? Owner,
    string? Description,
    DateTimeOffset AllocatedAt,
    DateTimeOffset? ReleasedAt,
    string? ReleaseReason);
