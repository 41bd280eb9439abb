namespace Ipam.History;

/// <summary>
/// Who held an address and when: one address's history in one subnet, the holders of an address across
/// overlapping subnets at a time, and one owner's allocations across subnets. Current allocations come from
/// the allocations table, ended ones from the change log, both read on one snapshot. A caller limited to a tenant
/// sees only its tenant's subnets. An address's history in a subnet is that of the subnet as it exists now: a subnet
/// created under the id of a deleted one (a caller-chosen id, taken again by any tenant or by the same) starts with
/// none, whoever held the address before. Who held an address at a time is answered across subnets, deleted ones
/// included, from what each change recorded (its subnet, CIDR and tenant then), so it is not mixed up by a reused id.
/// </summary>
public sealed class HistoryService(IIpamStore store, ICallerContext caller)
{
    private readonly CallerAccess access = new(caller);

    /// <summary>A page of the address's periods in the subnet, newest first, the current allocation (if any) first.</summary>
    public Task<IReadOnlyList<AllocationPeriod>> GetAddressHistoryAsync(AddressHistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return store.ReadAsync<IReadOnlyList<AllocationPeriod>>(async (session, ct) =>
        {
            var subnet = access.Visible(await session.FindSubnetAsync(query.SubnetId, RowLock.None, ct).ConfigureAwait(false), query.SubnetId);
            if (!subnet.Cidr.Contains(query.Address))
            {
                throw new AddressOutsideSubnetException(query.Address, subnet.Cidr);
            }

            var periods = new List<AllocationPeriod>(Math.Min(query.Limit, 16));
            if (query.After is null && await session.FindAllocationAsync(subnet.Id, query.Address, ct).ConfigureAwait(false) is { } current)
            {
                periods.Add(AllocationPeriods.Of(current, subnet.Cidr));
            }

            if (periods.Count < query.Limit)
            {
                var ends = await session.ListAllocationEndsAsync(
                    subnet.Id, query.Address, query.After ?? AllocationPeriod.Current, query.Limit - periods.Count, ct).ConfigureAwait(false);
                periods.AddRange(ends.Select(AllocationPeriods.Ended));
            }

            return periods;
        }, cancellationToken);
    }

    /// <summary>
    /// A page of who held the query's address at its time (now when null; to the millisecond) in each subnet that
    /// contains it, including subnets deleted since, in <see cref="HolderKey"/> order. The current allocations and the
    /// ended ones are read a page each, both in that order, and merged.
    /// </summary>
    public Task<IReadOnlyList<AllocationPeriod>> GetHoldersAsync(AddressHoldersQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { TenantId = access.Tenant, At = query.At is { } at ? EndOfMillisecond(at) : null };
        return store.ReadAsync<IReadOnlyList<AllocationPeriod>>(async (session, ct) =>
        {
            var current = await session.ListAddressHoldersAsync(query, ct).ConfigureAwait(false);
            if (query.At is null)
            {
                return current;
            }

            var ended = await session.ListAllocationEndsSpanningAsync(query, ct).ConfigureAwait(false);
            return [.. current.Concat(ended.Select(AllocationPeriods.Ended)).OrderBy(HolderKey.Of).Take(query.Limit)];
        }, cancellationToken);
    }

    /// <summary>
    /// The last instant of the millisecond <paramref name="time"/> falls in (to the microsecond, the finest both stores keep).
    /// Times are shown to the millisecond, so a time a client read from an answer names that whole millisecond: an
    /// allocation shown as made at T held the address at T, and one shown as ended at T no longer did.
    /// </summary>
    private static DateTimeOffset EndOfMillisecond(DateTimeOffset time) =>
        time.AddTicks(TimeSpan.TicksPerMillisecond - TimeSpan.TicksPerMicrosecond - (time.Ticks % TimeSpan.TicksPerMillisecond));

    /// <summary>A page of one owner's allocations across subnets, by subnet id and address.</summary>
    public Task<IReadOnlyList<Allocation>> ListByOwnerAsync(OwnerAllocationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { TenantId = access.Tenant };
        return store.ReadAsync((session, ct) => session.ListOwnerAllocationsAsync(query, ct), cancellationToken);
    }
}
