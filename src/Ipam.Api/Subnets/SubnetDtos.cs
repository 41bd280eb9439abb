namespace Ipam.Api.Subnets;

/// <summary>
/// Body of <c>POST /v1/subnets</c>. <c>id</c>: one of the caller's choosing; omitted, Ipam chooses one.
/// <c>gateway_ip</c>: omitted, the first host address; <c>null</c>, no gateway.
/// </summary>
/// <remarks>Every member is optional (a subnet names a cidr, a subnet pool, or both), so the schema requires none.</remarks>
public sealed record CreateSubnetBody(
    JsonElement GatewayIp, Guid? Id = null, string? Cidr = null, Guid? SubnetPoolId = null, int? Prefixlen = null, string? Name = null, string? TenantId = null,
    List<PoolDto>? AllocationPools = null, string? Ipv6AddressMode = null, int? ReuseCooldownSeconds = null);

/// <summary>Body of <c>PATCH /v1/subnets/{id}</c>; omitted fields stay unchanged.</summary>
public sealed record UpdateSubnetBody(JsonElement Name, JsonElement GatewayIp, List<PoolDto>? AllocationPools = null, int? ReuseCooldownSeconds = null);

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
