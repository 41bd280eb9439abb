using Ipam.SubnetPools;

namespace Ipam.Api.SubnetPools;

internal static class SubnetPoolMapping
{
    public static SubnetPoolDto ToDto(this SubnetPool pool) => new(
        pool.Id,
        pool.Name,
        (int)pool.Version,
        [.. pool.Prefixes.Select(p => p.ToString())],
        pool.DefaultPrefixLength,
        pool.MinPrefixLength,
        pool.MaxPrefixLength,
        pool.DefaultQuota,
        pool.AddressScopeId,
        pool.TenantId,
        pool.CreatedAt);

    public static CreateSubnetPoolCommand ToCommand(this CreateSubnetPoolBody body) => new()
    {
        Name = Input.Text("name", body.Name),
        Prefixes = Input.Cidrs("prefixes", body.Prefixes) ?? [],
        DefaultPrefixLength = body.DefaultPrefixlen,
        MinPrefixLength = body.MinPrefixlen,
        MaxPrefixLength = body.MaxPrefixlen,
        DefaultQuota = body.DefaultQuota,
        AddressScopeId = body.AddressScopeId,
        TenantId = Input.TenantId("tenant_id", body.TenantId),
    };

    public static UpdateSubnetPoolCommand ToCommand(this UpdateSubnetPoolBody body) => new()
    {
        Name = body.Name.ValueKind switch
        {
            JsonValueKind.Undefined => default,
            JsonValueKind.String => new Optional<string?>(Input.Text("name", Input.JsonString("name", body.Name))),
            _ => throw ValidationException.InvalidRequest("name", "name must be a non-empty string."),
        },
        Prefixes = Input.Cidrs("prefixes", body.Prefixes),
        AddPrefixes = Input.Cidrs("add_prefixes", body.AddPrefixes),
        RemovePrefixes = Input.Cidrs("remove_prefixes", body.RemovePrefixes),
        DefaultPrefixLength = body.DefaultPrefixlen,
        MinPrefixLength = body.MinPrefixlen,
        MaxPrefixLength = body.MaxPrefixlen,
        DefaultQuota = body.DefaultQuota.ValueKind switch
        {
            JsonValueKind.Undefined => default,
            JsonValueKind.Null => new Optional<long?>(null),
            JsonValueKind.Number when body.DefaultQuota.TryGetInt64(out var quota) => new Optional<long?>(quota),
            _ => throw ValidationException.InvalidRequest("default_quota", "default_quota must be an integer or null."),
        },
        AddressScopeId = body.AddressScopeId.ValueKind switch
        {
            JsonValueKind.Undefined => default,
            JsonValueKind.Null => new Optional<Guid?>(null),
            JsonValueKind.String => new Optional<Guid?>(Input.Id("address_scope_id", Input.JsonString("address_scope_id", body.AddressScopeId))),
            _ => throw ValidationException.InvalidRequest("address_scope_id", "address_scope_id must be a UUID string or null."),
        },
    };
}
