namespace Ipam.Api.SubnetPools;

/// <summary>Body of <c>POST /v1/subnet-pools</c>; omitted prefix lengths are derived as Neutron does.</summary>
public sealed class CreateSubnetPoolBody
{
    public string? Name { get; set; }

    public List<string?>? Prefixes { get; set; }

    public int? DefaultPrefixlen { get; set; }

    public int? MinPrefixlen { get; set; }

    public int? MaxPrefixlen { get; set; }

    public long? DefaultQuota { get; set; }

    public Guid? AddressScopeId { get; set; }

    public string? TenantId { get; set; }
}

/// <summary>
/// Body of <c>PATCH /v1/subnet-pools/{id}</c>; omitted fields stay unchanged. <c>prefixes</c> replaces the
/// list, <c>add_prefixes</c> and <c>remove_prefixes</c> change it; prefixes in use can never be removed.
/// </summary>
public sealed class UpdateSubnetPoolBody
{
    public JsonElement Name { get; set; }

    public List<string?>? Prefixes { get; set; }

    public List<string?>? AddPrefixes { get; set; }

    public List<string?>? RemovePrefixes { get; set; }

    public int? DefaultPrefixlen { get; set; }

    public int? MinPrefixlen { get; set; }

    public int? MaxPrefixlen { get; set; }

    /// <summary>A number, or <c>null</c> to remove the quota.</summary>
    public JsonElement DefaultQuota { get; set; }

    /// <summary>A scope id, or <c>null</c> to leave the scope.</summary>
    public JsonElement AddressScopeId { get; set; }
}

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

public sealed record AvailablePrefixesDto(IReadOnlyList<string> Prefixes);
