namespace Ipam.Api.Subnets;

/// <summary>
/// The answer of <c>GET /v1/subnets/{id}/map</c>: <c>blocks</c> (with <c>block_prefixlen</c>) for a range of more
/// than 256 addresses, else <c>cells</c>, one per address; the other is null.
/// </summary>
public sealed record SubnetMapDto(
    Guid SubnetId,
    string Cidr,
    string Within,
    int? BlockPrefixlen,
    IReadOnlyList<MapBlockDto>? Blocks,
    IReadOnlyList<MapCellDto>? Cells);

/// <summary>An aligned block: its size, its pool addresses, the allocated addresses (in or outside the pools) and the free pool addresses.</summary>
public sealed record MapBlockDto(string Cidr, UInt128 Total, UInt128 InPools, UInt128 Allocated, UInt128 Free);

/// <summary>
/// One address: <c>state</c> is <c>allocated</c>, <c>free</c>, <c>gateway</c>, <c>network</c>, <c>broadcast</c> or
/// <c>outside-pools</c>; an allocated one carries its allocation's fields (an allocation is identified by subnet and address).
/// </summary>
public sealed record MapCellDto(
    string IpAddress,
    string State,
    string? Owner,
    string? Description,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? ExpiresAt);
