namespace Ipam.Api.Subnets;

/// <summary>Body of <c>POST /v1/subnets</c>.</summary>
public sealed class CreateSubnetBody
{
    /// <summary>An id of the caller's choosing; omitted: Ipam chooses one.</summary>
    public Guid? Id { get; set; }

    public string? Cidr { get; set; }

    public Guid? SubnetPoolId { get; set; }

    public int? Prefixlen { get; set; }

    public string? Name { get; set; }

    public string? TenantId { get; set; }

    /// <summary>Omitted: the first host address. <c>null</c>: no gateway.</summary>
    public JsonElement GatewayIp { get; set; }

    public List<PoolDto>? AllocationPools { get; set; }

    public string? Ipv6AddressMode { get; set; }

    public int? ReuseCooldownSeconds { get; set; }
}

/// <summary>Body of <c>PATCH /v1/subnets/{id}</c>; omitted fields stay unchanged.</summary>
public sealed class UpdateSubnetBody
{
    public JsonElement Name { get; set; }

    public JsonElement GatewayIp { get; set; }

    public List<PoolDto>? AllocationPools { get; set; }

    public int? ReuseCooldownSeconds { get; set; }
}

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
