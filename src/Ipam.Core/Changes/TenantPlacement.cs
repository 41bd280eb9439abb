namespace Ipam.Changes;

/// <summary>
/// Where a tenant's resources may be placed: a subnet is allocated only from a shared subnet pool (one without a
/// tenant) or a pool of its own tenant, and a subnet pool joins only a shared address scope or a scope of its own
/// tenant. Anything else would put one tenant's resource inside another's private one, where it shows through
/// (the holes in the pool's free space, the pool's or scope's <c>in-use</c> and overlap answers) and points at
/// something its own tenant cannot see.
/// </summary>
/// <remarks>
/// A caller limited to a tenant never gets this far with another tenant's pool or scope: it does not see them, and
/// is told they do not exist. Only an admin, who sees both, is refused here, with the reason. An admin who names no
/// tenant for a subnet or pool is given the tenant of the pool or scope it is placed in, so the rule holds.
/// </remarks>
internal static class TenantPlacement
{
    /// <summary>Refuses a subnet of <paramref name="tenant"/> in another tenant's private subnet pool.</summary>
    public static void CheckSubnet(string? tenant, SubnetPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.TenantId is { } owner && owner != tenant)
        {
            throw Mismatch(
                "subnet_pool_id", $"Subnet pool '{pool.Name}' ({pool.Id}) is private to tenant '{owner}', not shared.",
                $"A subnet {Of(tenant)} can be allocated only from a shared subnet pool or one of its own tenant.");
        }
    }

    /// <summary>Refuses a subnet pool in another tenant's private address scope, and a shared pool in any tenant's.</summary>
    public static void CheckPool(SubnetPool pool, AddressScope scope)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.TenantId is { } owner && owner != pool.TenantId)
        {
            var rule = pool.TenantId is null
                ? "A shared subnet pool (without a tenant) can join only a shared address scope."
                : $"A subnet pool {Of(pool.TenantId)} can join only a shared address scope or one of its own tenant.";
            throw Mismatch("address_scope_id", $"Address scope '{scope.Name}' ({scope.Id}) is private to tenant '{owner}', not shared.", rule);
        }
    }

    private static string Of(string? tenant) => tenant is null ? "without a tenant" : $"of tenant '{tenant}'";

    private static ValidationException Mismatch(string containerField, string container, string rule) =>
        new(ErrorCodes.InvalidRequest, "The tenants do not match.", new Dictionary<string, string[]>
        {
            [containerField] = [container],
            ["tenant_id"] = [rule],
        });
}
