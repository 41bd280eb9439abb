namespace Ipam.Api.Subnets;

/// <summary>
/// Body of <c>POST /v1/subnets</c>. <c>id</c>: one of the caller's choosing; omitted, Ipam chooses one.
/// <c>gateway_ip</c>: omitted, the first host address; <c>null</c>, no gateway.
/// </summary>
public sealed record CreateSubnetBody(
    Guid? Id, string? Cidr, Guid? SubnetPoolId, int? Prefixlen, string? Name, string? TenantId, JsonElement GatewayIp, List<PoolDto>? AllocationPools,
    string? Ipv6AddressMode, int? ReuseCooldownSeconds);

/// <summary>Body of <c>PATCH /v1/subnets/{id}</c>; omitted fields stay unchanged.</summary>
public sealed record UpdateSubnetBody(JsonElement Name, JsonElement GatewayIp, List<PoolDto>? AllocationPools, int? ReuseCooldownSeconds);

public sealed record PoolDto(string? Start, string? End);

public sealed record UsageDto(UInt128 Total, UInt128 Allocated, UInt128 Free, long OutsidePools);

public sealed record SubnetDto(
    Guid Id,
    string Cidr,
    int IpVersion,
    string? GatewayIp,
    IReadOnlyList<PoolDto> AllocationPools,
    Guid? SubnetPoolId,
    string? Ipv6AddressMode,
    string? TenantId,
    string? Name,
    UsageDto Usage,
    DateTimeOffset CreatedAt,
    int ReuseCooldownSeconds);
