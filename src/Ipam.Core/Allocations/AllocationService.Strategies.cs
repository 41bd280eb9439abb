using Ipam.Allocations.Strategies;

namespace Ipam.Allocations;

/// <summary>
/// Allocations chosen by a strategy from the cached free-space index. When the subnet's index is cached, its
/// subnet is used as it was cached, unconfirmed: the first insert carries its revision and is made only if the
/// subnet is still at it, which saves reading the revision first. When the subnet changed meanwhile (or is
/// gone), the request starts again from the subnet as loaded now, held from then on, so at most once. A single
/// address by a strategy that allows it is picked before the catch-up read of the log and inserted in the same
/// round trip (<see cref="ReadWithEarlyPickAsync"/>); the pick is undone and made again if the read freed anything.
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

        EarlyPick? early = null;
        var space = await cache.GetCurrentAsync(session, subnet, ticket, ct, request.Count == 1 && strategy.PicksAlikeFromAStaleView
            ? async (followed, after) =>
            {
                (var changes, early) = await ReadWithEarlyPickAsync(session, followed, after, subnet, confirmed, strategy, request, now, ct).ConfigureAwait(false);
                return changes;
            }
            : null, mayPresume: true, despiteOthersCreations: request.Count == 1 && strategy.SpreadsPicks).ConfigureAwait(false);
        var conflicts = 0;
        if (early is { } pick)
        {
            if (pick.Outcome == AllocationInsert.SubnetChanged)
            {
                return null;
            }

            confirmed = true;
            if (pick.Outcome == AllocationInsert.Inserted)
            {
                if (PickStands(space, pick))
                {
                    return [pick.Allocation];
                }

                await UnpickAsync(session, space, pick, ct).ConfigureAwait(false);
            }
            else
            {
                conflicts++;
                if (!strategy.SpreadsPicks && !pick.TakerRead)
                {
                    space = await CatchUpAfterConflictAsync(session, subnet, ct).ConfigureAwait(false);
                }
            }
        }

        var readForRefusal = false;
        if (!HasRoom(space, request.Count) && session.PresumesLogEnd)
        {
            // Nothing was picked yet: after the read, the unit acts only on what it read.
            session.WithdrawLogEndPresumption();
            space = await ReadBeforeRefusingAsync(session, subnet, ticket, ct).ConfigureAwait(false);
            readForRefusal = true;
        }

        if (!HasRoom(space, request.Count))
        {
            if (!confirmed)
            {
                return null;
            }

            await ReclaimAsync(session, subnet, space, now, ct).ConfigureAwait(false);
            ThrowIfNoRoom(space, request.Count, request.Count, takenByThisUnit: 0);
        }

        // Registered only once addresses are about to be taken: a refusal above leaves the index as it was,
        // so a full subnet answers pool-exhausted without rebuilding its index each time.
        var picked = cache.ReturnPicksOnRollback(session, space, WatermarkOf(space));
        var allocations = new List<Allocation>(request.Count);
        while (allocations.Count < request.Count)
        {
            var needed = request.Count - allocations.Count;
            if (TryPick(space, strategy, needed, out var freedBy) is not { } picks)
            {
                if (!confirmed)
                {
                    return null;
                }

                if (session.PresumesLogEnd && !readForRefusal)
                {
                    space = await ReadBeforeRefusingAsync(session, subnet, ticket, ct).ConfigureAwait(false);
                    readForRefusal = true;
                    continue;
                }

                ThrowIfNoRoom(space, needed, request.Count, takenByThisUnit: allocations.Count);
                continue;
            }

            picked.AddRange(picks);

            // Inserted in address order: consecutive rows land on the same B-tree pages.
            picks.Sort();
            for (var p = 0; p < picks.Count; p++)
            {
                var address = picks[p];
                var allocation = NewAllocation(subnet.Id, address, request, NotBefore(now, freedBy));
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
                    continue;
                }

                // Another writer holds it: not the index's to have back.
                picked.Remove(address);
                if (++conflicts > MaxConflictRetries)
                {
                    // Another writer keeps winning: start from the database's view instead of the cache's.
                    space = await cache.ReloadAsync(session, subnet, ct).ConfigureAwait(false);
                    conflicts = 0;
                }
                else if (!strategy.SpreadsPicks)
                {
                    // The picks after this one are as stale as it was: give them back, read, and pick again.
                    Unpick(space, picked, picks.Skip(p + 1));
                    space = await CatchUpAfterConflictAsync(session, subnet, ct).ConfigureAwait(false);
                    break;
                }
            }
        }

        return allocations;
    }

    /// <summary>
    /// The index caught up by a read of the log, for a unit that presumed the log end (see
    /// <see cref="IIpamSession.TryPresumeLogEnd"/>) and is about to refuse: a refusal is answered without the check
    /// at commit, so it rests on what the database said. The presumption's own read never counted as one, so the
    /// ticket is not covered and this one reads.
    /// </summary>
    private ValueTask<FreeSpace> ReadBeforeRefusingAsync(IIpamSession session, Subnet subnet, CatchUpTicket ticket, CancellationToken ct) =>
        cache.GetCurrentAsync(session, subnet, ticket, ct);

    /// <summary>
    /// The catch-up's first read of the log, sent with the insert of an address picked from the index as it was
    /// before the read (see <see cref="IAllocationStrategy.PicksAlikeFromAStaleView"/>): one round trip for both.
    /// No pick while the index is not followed yet or has no free address.
    /// </summary>
    private async ValueTask<(IReadOnlyList<Change> Changes, EarlyPick? Pick)> ReadWithEarlyPickAsync(
        IIpamSession session, FreeSpace space, long after, Subnet subnet, bool confirmed, IAllocationStrategy strategy, AllocationRequest request,
        DateTimeOffset now, CancellationToken ct)
    {
        IpAddress? picked = null;
        long freed = 0;
        long watermark = 0;
        var freedBy = DateTimeOffset.MinValue;
        lock (space.Gate)
        {
            if (space.Followed)
            {
                space.Thaw(time.GetUtcNow());
                if (space.Index.FreeCount > 0)
                {
                    freed = space.Freed;
                    watermark = space.Watermark;
                    freedBy = space.FreedBy;
                    picked = strategy.Pick(space.Index);
                }
            }
        }

        if (picked is not { } address)
        {
            return (await session.ListAllocationChangesAsync(after, ChangeLogFollower.PageSize, ct).ConfigureAwait(false), null);
        }

        var picks = cache.ReturnPicksOnRollback(session, space, watermark);
        picks.Add(address);
        var allocation = NewAllocation(subnet.Id, address, request, NotBefore(now, freedBy));
        var (changes, outcome) = await session.ListAllocationChangesThenInsertAsync(
            after, ChangeLogFollower.PageSize, allocation, confirmed ? null : subnet.Revision, ct).ConfigureAwait(false);
        var takerRead = false;
        if (outcome == AllocationInsert.AddressTaken)
        {
            picks.Remove(address);
            takerRead = changes.LastOrDefault(c => c.SubnetId == subnet.Id && c.Address == address) is { } last && !ChangeTypes.EndsAllocation(last.Type);
        }

        return (changes, new EarlyPick(allocation, outcome, freed, picks, takerRead));
    }

    /// <summary>
    /// Whether the early pick stands: no address became free in the index since it was made (a release or expiry
    /// the read brought, or a cooldown that ended), so the addresses it was chosen from were the free ones, less
    /// perhaps some that others had taken, and it is not one of those, since its insert succeeded; nor is it cooling
    /// down, which it is when the read brought another writer's allocation and release of it.
    /// </summary>
    private static bool PickStands(FreeSpace space, EarlyPick pick)
    {
        lock (space.Gate)
        {
            return space.Freed == pick.FreedBefore && !space.IsCooling(pick.Allocation.Address);
        }
    }

    /// <summary>
    /// The index caught up with the log after a pick that every writer makes alike (the lowest free address, not a
    /// spread one, <see cref="IAllocationStrategy.SpreadsPicks"/>) met an address another writer took: that writer,
    /// another instance's shared transaction say, took a run of addresses beside it, and trying each in turn would
    /// cost a round trip each where one read of the log brings them all. The insert that met the address waited for
    /// its writer to commit, so a read started now sees it. Not after an early pick whose read, sent with the insert,
    /// brought the allocation it met (<see cref="EarlyPick.TakerRead"/>): the index is as current as a read would make
    /// it. A spread pick meets another's seldom and alone, and picks again without reading.
    /// </summary>
    private ValueTask<FreeSpace> CatchUpAfterConflictAsync(IIpamSession session, Subnet subnet, CancellationToken ct) =>
        cache.GetCurrentAsync(session, subnet, cache.Ticket(), ct);

    /// <summary>Gives back to the index addresses picked and not inserted, and takes them off the list a rollback would return.</summary>
    private static void Unpick(FreeSpace space, List<IpAddress> picked, IEnumerable<IpAddress> addresses)
    {
        lock (space.Gate)
        {
            foreach (var address in addresses)
            {
                picked.Remove(address);
                space.Unpicked(address);
            }
        }
    }

    /// <summary>Undoes the early pick's insert in this unit and gives the address back to the index, to pick again from the index as it is now.</summary>
    private static async ValueTask UnpickAsync(IIpamSession session, FreeSpace space, EarlyPick pick, CancellationToken ct)
    {
        var allocation = pick.Allocation;
        await session.DeleteAllocationAsync(allocation.SubnetId, allocation.Address, ct).ConfigureAwait(false);
        pick.Picks.Remove(allocation.Address);
        lock (space.Gate)
        {
            space.Unpicked(allocation.Address);
        }
    }

    /// <summary>
    /// When a pick is made: the request's time, or the time its address may have become free if that is later (the read
    /// that brought another writer's release, or the clock that ended a cooldown, came after the request's time was taken).
    /// </summary>
    private static DateTimeOffset NotBefore(DateTimeOffset now, DateTimeOffset freedBy) => freedBy > now ? freedBy : now;

    private static long WatermarkOf(FreeSpace space)
    {
        lock (space.Gate)
        {
            return space.Watermark;
        }
    }

    private static async ValueTask<AllocationInsert> InsertAsync(IIpamSession session, Allocation allocation, long? unconfirmedRevision, CancellationToken ct)
    {
        if (unconfirmedRevision is { } revision)
        {
            return await session.TryInsertAllocationAtRevisionAsync(allocation, revision, ct).ConfigureAwait(false);
        }

        return await session.TryInsertAllocationAsync(allocation, ct).ConfigureAwait(false) ? AllocationInsert.Inserted : AllocationInsert.AddressTaken;
    }

    /// <summary>
    /// The strategy's picks, taken out of the index, and the time no later than which they all became free
    /// (<see cref="FreeSpace.FreedBy"/>); null when it has fewer than <paramref name="count"/> free addresses.
    /// </summary>
    private static List<IpAddress>? TryPick(FreeSpace space, IAllocationStrategy strategy, int count, out DateTimeOffset freedBy)
    {
        lock (space.Gate)
        {
            freedBy = space.FreedBy;
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

        // Free for this unit at once; if the unit is undone, the index takes them back, or is dropped.
        long watermark;
        lock (space.Gate)
        {
            watermark = space.Watermark;
            foreach (var allocation in expired)
            {
                space.Released(allocation.Address, now);
                changes.AllocationEnded(session, subnet, allocation, ReleaseReasons.Expired, now);
            }
        }

        cache.TakeBackOnRollback(session, space, watermark, [.. expired.Select(a => a.Address)]);
    }

    private static bool HasRoom(FreeSpace space, int count)
    {
        lock (space.Gate)
        {
            return space.Index.FreeCount >= (UInt128)count;
        }
    }

    /// <summary>
    /// Refuses the request when fewer than <paramref name="needed"/> addresses are free. A bulk request refused part
    /// way (other writers took what it had counted on) is refused as a whole: its numbers are the request's count and
    /// the free addresses including the <paramref name="takenByThisUnit"/> its undoing gives back.
    /// </summary>
    private static void ThrowIfNoRoom(FreeSpace space, int needed, int requested, int takenByThisUnit)
    {
        lock (space.Gate)
        {
            var index = space.Index;
            if (index.FreeCount < (UInt128)needed)
            {
                throw new PoolExhaustedException(space.SubnetId, requested, index.FreeCount + (UInt128)takenByThisUnit, index.PoolSize,
                    space.Subnet.ReuseCooldownSeconds > 0 ? new CooldownHold(space.Cooling, space.FirstThaw()) : null);
            }
        }
    }
}
