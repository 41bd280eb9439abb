using System.Text.Json.Serialization;

namespace Ipam.Api.Subnets;

/// <summary>
/// Body of <c>POST /v1/subnets</c>. <c>id</c>: one of the caller's choosing; omitted, Ipam chooses one.
/// <c>gateway_ip</c>: omitted, the first host address; <c>null</c>, no gateway.
/// </summary>
/// <remarks>Every member is optional (a subnet names a cidr, a subnet pool, or both), so the schema requires none.</remarks>
public sealed record CreateSubnetBody(
    JsonElement GatewayIp, Guid? Id = null, string? Cidr = null, Guid? SubnetPoolId = null, int? Prefixlen = null, string? Name = null, string? TenantId = null,
    List<PoolDto>? AllocationPools = null, string? Ipv6AddressMode = null, int? ReuseCooldownSeconds = null);

/// <summary>
/// Body of <c>PATCH /v1/subnets/{id}</c>; omitted fields stay unchanged, and <c>null</c> puts a field back to what a
/// create would give it: no name, no gateway, the default allocation pools, no reuse cooldown.
/// </summary>
public sealed class UpdateSubnetBody
{
    private List<PoolDto>? allocationPools;
    private int? reuseCooldownSeconds;

    public JsonElement Name { get; set; }

    public JsonElement GatewayIp { get; set; }

    // The serializer calls a setter only for a member the body names, null included: that is how null differs from absent.
    public List<PoolDto>? AllocationPools
    {
        get => allocationPools;
        set => (allocationPools, AllocationPoolsGiven) = (value, true);
    }

    public int? ReuseCooldownSeconds
    {
        get => reuseCooldownSeconds;
        set => (reuseCooldownSeconds, ReuseCooldownSecondsGiven) = (value, true);
    }

    [JsonIgnore]
    public bool AllocationPoolsGiven { get; private set; }

    [JsonIgnore]
    public bool ReuseCooldownSecondsGiven { get; private set; }
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
