namespace Ipam.Changes;

/// <summary>
/// The tenancy rule every service applies, from the current caller: readers only read; members and readers see
/// their own tenant's resources (and subnet pools and address scopes without a tenant, which are shared) and
/// change only their own tenant's; admins see and change everything. A resource the caller may not see is
/// reported exactly as one that does not exist, so that ids of other tenants reveal nothing.
/// </summary>
internal sealed class CallerAccess(ICallerContext caller)
{
    /// <summary>The one tenant the caller is limited to; null when it sees every tenant.</summary>
    public string? Tenant => caller.TenantId;

    /// <summary>Refuses a reader any change.</summary>
    public void CheckWrite()
    {
        if (caller.Role < CallerRole.Member)
        {
            throw new ForbiddenException(CallerRole.Member, "A reader cannot change anything; this needs a member or admin token.");
        }
    }

    /// <summary>
    /// The tenant a new resource gets or a list is filtered by: the requested one, the caller's own when the
    /// caller is limited to a tenant and named none; naming another tenant is refused.
    /// </summary>
    public string? TenantOf(string? requested)
    {
        if (caller.TenantId is not { } own)
        {
            return requested;
        }

        if (requested is not null && requested != own)
        {
            throw new ForbiddenException(CallerRole.Admin, $"This token acts for tenant '{own}' and cannot name tenant '{requested}'.");
        }

        return own;
    }

    /// <summary>Whether the caller sees a resource of <paramref name="tenant"/> (subnets and their allocations).</summary>
    public bool Sees(string? tenant) => caller.TenantId is null || tenant == caller.TenantId;

    /// <summary>Whether the caller sees a subnet pool or address scope of <paramref name="tenant"/>: its own, or a shared one (no tenant).</summary>
    public bool SeesShared(string? tenant) => tenant is null || Sees(tenant);

    /// <summary>The subnet found by id, if the caller sees it; otherwise the error of a subnet that does not exist.</summary>
    public Subnet Visible(Subnet? subnet, Guid id) =>
        subnet is not null && Sees(subnet.TenantId) ? subnet : throw new SubnetNotFoundException(id);

    /// <summary>The subnet pool found by id, if the caller sees it (its own or a shared one); otherwise the error of a pool that does not exist.</summary>
    public SubnetPool Visible(SubnetPool? pool, Guid id) =>
        pool is not null && SeesShared(pool.TenantId) ? pool : throw new SubnetPoolNotFoundException(id);

    /// <summary>The address scope found by id, if the caller sees it (its own or a shared one); otherwise the error of a scope that does not exist.</summary>
    public AddressScope Visible(AddressScope? scope, Guid id) =>
        scope is not null && SeesShared(scope.TenantId) ? scope : throw new AddressScopeNotFoundException(id);

    /// <summary>The subnet pool to change: one the caller sees and owns; a shared one only an admin changes.</summary>
    public SubnetPool Changeable(SubnetPool? pool, Guid id)
    {
        CheckWrite();
        CheckOwns(Visible(pool, id).TenantId, $"Subnet pool {id}");
        return pool!;
    }

    /// <summary>The address scope to change: one the caller sees and owns; a shared one only an admin changes.</summary>
    public AddressScope Changeable(AddressScope? scope, Guid id)
    {
        CheckWrite();
        CheckOwns(Visible(scope, id).TenantId, $"Address scope {id}");
        return scope!;
    }

    private void CheckOwns(string? tenant, string what)
    {
        if (caller.TenantId is { } own && tenant != own)
        {
            throw new ForbiddenException(CallerRole.Admin, $"{what} is shared by every tenant; only an admin can change it.");
        }
    }
}
