using Ipam.Allocations.Strategies;

namespace Ipam.Allocations;

/// <summary>
/// Allocations chosen by a strategy from the cached free-space index. When the subnet's index is cached, its
/// subnet is used as it was cached, unconfirmed: the first insert carries its revision and is made only if the
/// subnet is still at it, which saves reading the revision first. When the subnet changed meanwhile (or is
/// gone), the request starts again from the subnet as loaded now, held from then on, so at most once.
/// </summary>
public sealed partial class AllocationService
{
    private async ValueTask<(Subnet Subnet, IReadOnlyList<Allocation> Allocations)> AllocateByStrategyAsync(
        IIpamSession session, Guid subnetId, IAllocationStrategy strategy, AllocationRequest request, CatchUpTicket ticket, DateTimeOffset now,
        CancellationToken ct)
    {
        var subnet = UnconfirmedSubnet(subnetId);
        var confirmed = subnet is null;
        subnet ??= await LoadSubnetAsync(session, subnetId, ct).ConfigureAwait(false);
        while (true)
        {
            if (await TryAllocateByStrategyAsync(session, subnet, confirmed, strategy, request, ticket, now, ct).ConfigureAwait(false) is { } allocations)
            {
                return (subnet, allocations);
            }

            subnet = await LoadSubnetAsync(session, subnetId, ct).ConfigureAwait(false);
            confirmed = true;
        }
    }

    /// <summary>
    /// The cached subnet, whatever its revision, if it may serve this request: one the caller does not see, or
    /// one whose addresses IPAM does not choose, is loaded instead, so that the refusal comes from the current subnet.
    /// </summary>
    private Subnet? UnconfirmedSubnet(Guid subnetId) =>
        cache.TryGetLatestSubnet(subnetId, out var cached) && MayAllocateByStrategy(cached) ? cached : null;

    /// <summary>Whether the caller sees <paramref name="subnet"/> and IPAM chooses its addresses; any other subnet refuses a strategy request.</summary>
    private bool MayAllocateByStrategy(Subnet subnet) => changes.Access.Sees(subnet.TenantId) && !subnet.Ipv6AddressMode.IsAutoconfigured();

    /// <summary>
    /// The request's allocations in <paramref name="subnet"/>; null, having inserted nothing, when the subnet is
    /// not <paramref name="confirmed"/> and turns out to have changed, or would refuse the request (a refusal is
    /// judged on the current subnet only).
    /// </summary>
    private async ValueTask<IReadOnlyList<Allocation>?> TryAllocateByStrategyAsync(
        IIpamSession session, Subnet subnet, bool confirmed, IAllocationStrategy strategy, AllocationRequest request, CatchUpTicket ticket,
        DateTimeOffset now, CancellationToken ct)
    {
        SubnetRules.CheckAddressesChosenByIpam(subnet);

        var space = await cache.GetCurrentAsync(session, subnet, ticket, ct).ConfigureAwait(false);
        if (!HasRoom(space, request.Count))
        {
            if (!confirmed)
            {
                return null;
            }

            await ReclaimAsync(session, subnet, space, now, ct).ConfigureAwait(false);
            ThrowIfNoRoom(space, request.Count);
        }

        // Registered only once addresses are about to be taken: a refusal above leaves the index as it was,
        // so a full subnet answers pool-exhausted without rebuilding its index each time.
        session.OnRolledBack(() => cache.Invalidate(subnet.Id));
        var allocations = new List<Allocation>(request.Count);
        var conflicts = 0;
        while (allocations.Count < request.Count)
        {
            var needed = request.Count - allocations.Count;
            if (TryPick(space, strategy, needed) is not { } picks)
            {
                if (!confirmed)
                {
                    return null;
                }

                ThrowIfNoRoom(space, needed);
                continue;
            }

            // Inserted in address order: consecutive rows land on the same B-tree pages.
            picks.Sort();
            foreach (var address in picks)
            {
                var allocation = NewAllocation(subnet.Id, address, request, now);
                var outcome = await InsertAsync(session, allocation, confirmed ? null : subnet.Revision, ct).ConfigureAwait(false);
                if (outcome == AllocationInsert.SubnetChanged)
                {
                    return null;
                }

                // Inserted or not, the subnet is now known to be at this revision, and held there.
                confirmed = true;
                if (outcome == AllocationInsert.Inserted)
                {
                    allocations.Add(allocation);
                }
                else if (++conflicts > MaxConflictRetries)
                {
                    // Another writer keeps winning: start from the database's view instead of the cache's.
                    space = await cache.ReloadAsync(session, subnet, ct).ConfigureAwait(false);
                    conflicts = 0;
                }
            }
        }

        return allocations;
    }

    private static async ValueTask<AllocationInsert> InsertAsync(IIpamSession session, Allocation allocation, long? unconfirmedRevision, CancellationToken ct)
    {
        if (unconfirmedRevision is { } revision)
        {
            return await session.TryInsertAllocationAtRevisionAsync(allocation, revision, ct).ConfigureAwait(false);
        }

        return await session.TryInsertAllocationAsync(allocation, ct).ConfigureAwait(false) ? AllocationInsert.Inserted : AllocationInsert.AddressTaken;
    }

    /// <summary>The strategy's picks, taken out of the index; null when it has fewer than <paramref name="count"/> free addresses.</summary>
    private static List<IpAddress>? TryPick(FreeSpace space, IAllocationStrategy strategy, int count)
    {
        lock (space.Gate)
        {
            var index = space.Index;
            if (index.FreeCount < (UInt128)count)
            {
                return null;
            }

            var picks = new List<IpAddress>(count);
            for (var i = 0; i < count; i++)
            {
                picks.Add(strategy.Pick(index));
            }

            return picks;
        }
    }

    /// <summary>
    /// Before declaring a pool exhausted, frees the subnet's reservations that ran out. The index needs no
    /// rebuild: it has just caught up with every other writer's changes from the log.
    /// </summary>
    private async ValueTask ReclaimAsync(IIpamSession session, Subnet subnet, FreeSpace space, DateTimeOffset now, CancellationToken ct)
    {
        var expired = await session.DeleteExpiredAllocationsAsync(now, subnet.Id, ct).ConfigureAwait(false);
        if (expired.Count == 0)
        {
            return;
        }

        // Free for this unit at once; if the unit is undone, the index must forget it.
        session.OnRolledBack(() => cache.Invalidate(subnet.Id));
        lock (space.Gate)
        {
            foreach (var allocation in expired)
            {
                space.Released(allocation.Address, now);
                changes.AllocationEnded(session, subnet, allocation, ReleaseReasons.Expired);
            }
        }
    }

    private static bool HasRoom(FreeSpace space, int count)
    {
        lock (space.Gate)
        {
            return space.Index.FreeCount >= (UInt128)count;
        }
    }

    private static void ThrowIfNoRoom(FreeSpace space, int count)
    {
        lock (space.Gate)
        {
            var index = space.Index;
            if (index.FreeCount < (UInt128)count)
            {
                throw new PoolExhaustedException(space.SubnetId, count, index.FreeCount, index.PoolSize,
                    space.Subnet.ReuseCooldownSeconds > 0 ? space.Cooling : null);
            }
        }
    }
}
