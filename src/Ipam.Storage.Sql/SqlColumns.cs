namespace Ipam.Storage.Sql;

/// <summary>The columns each row type reads, in the same order and under the same names in every dialect's schema.</summary>
internal static class SqlColumns
{
    public const string Subnet =
        "id, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision, reuse_cooldown_seconds";

    public const string Allocation = "ip, owner, description, created_at, expires_at, created_by";

    public const string Change = "at, type, actor, tenant_id, subnet_id, resource_id, ip_address, cidr, reason, held_since, before, after";

    public const string Token = "id, name, role, tenant_id, secret_hash, created_at, expires_at, revoked_at, created_by";

    public const string Scope = "id, name, ip_version, tenant_id, created_at";

    public const string Pool =
        "id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision, subnets_version";
}
