namespace Ipam.Changes;

/// <summary>
/// Whether an overlap error may name what the request ran into. A caller limited to a tenant learns that the space
/// is taken (a shared pool or scope cannot hide that), but not the id or CIDR of another tenant's subnet or pool;
/// its own, and shared pools, are named as before.
/// </summary>
internal static class ConflictDisclosure
{
    /// <summary>Whether the caller sees the subnet pool <paramref name="poolId"/>: its own or a shared one.</summary>
    public static async ValueTask<bool> SeesPoolAsync(IIpamSession session, CallerAccess access, Guid poolId, CancellationToken ct) =>
        access.Tenant is null
        || (await session.FindSubnetPoolAsync(poolId, RowLock.None, ct).ConfigureAwait(false) is { } pool && access.SeesShared(pool.TenantId));

    /// <summary>Whether the subnet <paramref name="cidr"/> of pool <paramref name="poolId"/> (the pool's subnets never overlap, so the CIDR names one) is the caller's.</summary>
    public static async ValueTask<bool> SeesPoolSubnetAsync(
        IIpamSession session, CallerAccess access, Guid poolId, Cidr cidr, CancellationToken ct)
    {
        if (access.Tenant is not { } tenant)
        {
            return true;
        }

        var query = new SubnetQuery { SubnetPoolId = poolId, TenantId = tenant, IpVersion = cidr.Version, Limit = 1000 };
        while (true)
        {
            var page = await session.ListSubnetsAsync(query, ct).ConfigureAwait(false);
            if (page.Any(subnet => subnet.Cidr == cidr))
            {
                return true;
            }

            if (page.Count < query.Limit)
            {
                return false;
            }

            query = query with { After = page[^1].Id };
        }
    }
}
