namespace Ipam.Api.SubnetPools;

/// <summary>Body of <c>POST /v1/subnet-pools</c>; omitted prefix lengths are derived as Neutron does.</summary>
public sealed record CreateSubnetPoolBody(
    string? Name, List<string?>? Prefixes, int? DefaultPrefixlen = null, int? MinPrefixlen = null, int? MaxPrefixlen = null, long? DefaultQuota = null,
    Guid? AddressScopeId = null, string? TenantId = null);

/// <summary>
/// Body of <c>PATCH /v1/subnet-pools/{id}</c>; omitted fields stay unchanged. <c>prefixes</c> replaces the
/// list, <c>add_prefixes</c> and <c>remove_prefixes</c> change it; prefixes in use can never be removed.
/// <c>default_quota</c> is a number, or <c>null</c> to remove the quota; <c>address_scope_id</c> a scope id, or
/// <c>null</c> to leave the scope.
/// </summary>
public sealed record UpdateSubnetPoolBody(
    JsonElement Name, JsonElement DefaultQuota, JsonElement AddressScopeId, List<string?>? Prefixes = null, List<string?>? AddPrefixes = null,
    List<string?>? RemovePrefixes = null, int? DefaultPrefixlen = null, int? MinPrefixlen = null, int? MaxPrefixlen = null);

public sealed record SubnetPoolDto(
    Guid Id,
    string Name,
    int IpVersion,
    IReadOnlyList<string> Prefixes,
    int DefaultPrefixlen,
    int MinPrefixlen,
    int MaxPrefixlen,
    long? DefaultQuota,
    Guid? AddressScopeId,
    string? TenantId,
    DateTimeOffset CreatedAt)
{
    /// <summary>A pool without a tenant is shared: every tenant's members read it and may allocate subnets from it.</summary>
    public bool Shared => TenantId is null;
}

/// <summary>A page of a pool's free space; <see cref="Next"/> is the cursor of the following page (the last CIDR's start address), or null.</summary>
public sealed record AvailablePrefixesDto(IReadOnlyList<string> Prefixes, string? Next);
