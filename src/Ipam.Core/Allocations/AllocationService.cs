using Ipam.Allocations.Strategies;

namespace Ipam.Allocations;

/// <summary>
/// Address allocation use cases. A request runs as one unit of work: it reads the subnet, chooses addresses
/// from the cached free-space index (constant cost at any fill level) and inserts them; the database's
/// primary key on (subnet, address) is the final guard against a duplicate.
/// </summary>
/// <remarks>
/// Requests name their strategy: the built-in ones (the random one draws from the random source) and any
/// registered <see cref="IAllocationStrategy"/>, which may not reuse a built-in name.
/// </remarks>
public sealed partial class AllocationService
{
    /// <summary>How many times a pick is retried when another writer took the chosen address first.</summary>
    private const int MaxConflictRetries = 64;

    public Task<IReadOnlyList<Allocation>> AllocateAsync(
        Guid subnetId, AllocationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        AllocationsOfAsync(AllocateOrReplayAsync(subnetId, request, idempotencyKey, cancellationToken));

    /// <summary>
    /// <see cref="AllocateAsync"/>, telling a replay (the remembered result of an <paramref name="idempotencyKey"/>
    /// sent before) from allocations made now.
    /// </summary>
    public Task<AllocationOutcome> AllocateOrReplayAsync(
        Guid subnetId, AllocationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count is < 1 or > AllocationRequest.MaxCount)
        {
            throw ValidationException.InvalidRequest("count", $"count must be an integer from 1 to {AllocationRequest.MaxCount}; got {request.Count}.");
        }

        var strategy = strategies.Get(request.Strategy);
        changes.Access.CheckWrite();

        var fingerprint = idempotencyKey is null ? null : IdempotencyFingerprint.Of(subnetId, request);
        var arrived = time.GetUtcNow();
        var ticket = cache.Ticket();
        var byStrategy = request is { MacAddress: null, Address: null };
        // Unless its reservation has run out (that is refused only once the key is known to be new), a request under a
        // key looks for the key with its insert if it names its address (one round trip on PostgreSQL), and not at all if
        // a strategy picks it and its record goes with the commit: a key that has a record fails that commit, and the
        // run again looks first. The keys a client sends are new but for its retries.
        var reservationLive = request.ExpiresAt is not { } expires || expires > arrived;
        var keyWithInsert = idempotencyKey is not null && !byStrategy && reservationLive ? new KeyLookup(idempotencyKey, fingerprint!) : null;
        Task<AllocationOutcome> Write() => WriteAsync(subnetId, request.Address, async (session, ct) =>
        {
            var keyWithCommit = idempotencyKey is not null && byStrategy && reservationLive && session.HoldsBackIdempotencyRecords;
            if (idempotencyKey is not null && keyWithInsert is null && !keyWithCommit
                && await FindReplayAsync(session, subnetId, idempotencyKey, fingerprint!, ct).ConfigureAwait(false) is { } replay)
            {
                return new AllocationOutcome(replay, Replayed: true);
            }

            ThrowIfExpired(request, arrived);
            var now = time.GetUtcNow();
            Subnet subnet;
            IReadOnlyList<Allocation> result;
            try
            {
                if (byStrategy)
                {
                    (subnet, result) = await AllocateByStrategyAsync(session, subnetId, strategy, request, ticket, now, ct).ConfigureAwait(false);
                }
                else
                {
                    var asked = await AllocateAsAskedAsync(session, subnetId, request, now, keyWithInsert, ct).ConfigureAwait(false);
                    if (asked.Replay is { } found)
                    {
                        return new AllocationOutcome(found, Replayed: true);
                    }

                    (subnet, result) = (asked.Subnet!, asked.Allocations);
                }
            }
            catch (IpamException e) when (idempotencyKey is not null && (keyWithCommit || e is AddressInUseException))
            {
                // A request refused may have been answered already under its key: a request under the same key may hold
                // the address, having committed while this one waited for the row (a statement of its own sees that
                // commit); or a retry of a request that succeeded is refused now (its subnet has filled up since), not
                // having looked for its key. Either answers as the earlier request did. A unit that wrote before its
                // refusal cannot answer otherwise, so it runs again, where it looks for the key first.
                if (keyWithCommit && session.HasWritten)
                {
                    throw session.RunAgainHoldingNothingBack();
                }

                if (await FindReplayAsync(session, subnetId, idempotencyKey, fingerprint!, ct).ConfigureAwait(false) is { } earlier)
                {
                    return new AllocationOutcome(earlier, Replayed: true);
                }

                throw;
            }

            foreach (var allocation in result)
            {
                changes.AllocationCreated(session, subnet, allocation);
            }

            cache.FollowOwnCommit(session, caughtUp: byStrategy);

            if (idempotencyKey is not null)
            {
                await RememberAsync(session, subnetId, idempotencyKey, fingerprint!, result, now, ct).ConfigureAwait(false);
            }

            return new AllocationOutcome(result, Replayed: false);
        }, cancellationToken);

        return byStrategy && !cache.TryGetLatestSubnet(subnetId, out _) ? BuildIndexThenAsync(subnetId, Write, cancellationToken) : Write();
    }

    private static async Task<IReadOnlyList<Allocation>> AllocationsOfAsync(Task<AllocationOutcome> allocating) =>
        (await allocating.ConfigureAwait(false)).Allocations;

    /// <summary>Work on <paramref name="subnetId"/> that writes <paramref name="address"/>, when the caller named one.</summary>
    private Task<T> WriteAsync<T>(Guid subnetId, IpAddress? address, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) =>
        address is { } named ? store.WriteAsync(subnetId, named, work, cancellationToken) : store.WriteAsync(subnetId, work, cancellationToken);

    public Task ReleaseAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken = default) =>
        ReleaseOrReplayAsync(subnetId, address, idempotencyKey: null, cancellationToken);

    /// <summary>
    /// Releases <paramref name="address"/>, or, when this caller sent <paramref name="idempotencyKey"/> for this
    /// subnet before, answers as that release did and changes nothing: returns true for such a replay. A key whose
    /// first release found nothing allocated is remembered as well and answers allocation-not-found again, so that a
    /// retry never releases whoever holds the address by then.
    /// </summary>
    /// <remarks>
    /// The index learns of the release from the change log, on this instance as on every other, before its next
    /// pick. A rollback drops it only if it was built after the delete (in this transaction, it may show the row gone);
    /// an index cached before it never saw the delete, and keeps its place.
    /// </remarks>
    public async Task<bool> ReleaseOrReplayAsync(Guid subnetId, IpAddress address, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        changes.Access.CheckWrite();
        var fingerprint = idempotencyKey is null ? null : IdempotencyFingerprint.OfRelease(subnetId, address);
        var outcome = await store.WriteAsync(subnetId, address, async (session, ct) =>
        {
            Subnet subnet;
            Allocation? released;
            var indexBefore = cache.Cached(subnetId);
            if (idempotencyKey is null)
            {
                // The subnet's revision and the delete go together; a subnet the caller may not see undoes the delete.
                (var revision, released) = await session.FindSubnetRevisionThenDeleteAllocationAsync(subnetId, address, ct).ConfigureAwait(false);
                subnet = await SubnetAtAsync(session, subnetId, revision, ct).ConfigureAwait(false);
            }
            else
            {
                var (revision, earlier) = await session.FindSubnetRevisionAndIdempotencyRecordAsync(subnetId, changes.Actor, idempotencyKey, ct)
                    .ConfigureAwait(false);
                subnet = await SubnetAtAsync(session, subnetId, revision, ct).ConfigureAwait(false);
                if (ReplayOf(earlier, idempotencyKey, fingerprint!) is { } replay)
                {
                    return new AllocationOutcome(replay, Replayed: true);
                }

                released = await session.DeleteAllocationAsync(subnetId, address, ct).ConfigureAwait(false);
            }

            if (released is not null)
            {
                changes.AllocationEnded(session, subnet, released, ReleaseReasons.Released);
                cache.FollowOwnCommit(session);
                session.OnRolledBack(() => cache.InvalidateUnless(subnetId, indexBefore));
            }
            else if (idempotencyKey is null)
            {
                throw new AllocationNotFoundException(subnetId, address);
            }

            IReadOnlyList<Allocation> result = released is null ? [] : [released];
            if (idempotencyKey is not null)
            {
                // Committed with the release (or its absence), so the answer is remembered exactly when it is true.
                await RememberAsync(session, subnetId, idempotencyKey, fingerprint!, result, time.GetUtcNow(), ct).ConfigureAwait(false);
            }

            return new AllocationOutcome(result, Replayed: false);
        }, cancellationToken).ConfigureAwait(false);

        return outcome.Allocations.Count > 0 ? outcome.Replayed : throw new AllocationNotFoundException(subnetId, address);
    }

    public Task<Allocation> GetAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async (session, ct) =>
        {
            var allocation = await session.FindAllocationAsync(subnetId, address, ct).ConfigureAwait(false);
            if (allocation is not null && changes.Access.Tenant is null)
            {
                return allocation;
            }

            _ = changes.Access.Visible(await session.FindSubnetAsync(subnetId, RowLock.None, ct).ConfigureAwait(false), subnetId);
            return allocation ?? throw new AllocationNotFoundException(subnetId, address);
        }, cancellationToken);

    public Task<IReadOnlyList<Allocation>> ListAsync(AllocationQuery query, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async (session, ct) =>
        {
            var subnet = changes.Access.Visible(await session.FindSubnetAsync(query.SubnetId, RowLock.None, ct).ConfigureAwait(false), query.SubnetId);
            if (query.After is { } after && after.Version != subnet.Version)
            {
                // No page of this subnet ends at an address of the other family: not a cursor this service gave out.
                throw ValidationException.InvalidRequest("cursor",
                    $"Cursor {after} is an IPv{(int)after.Version} address, but subnet {subnet.Id} is IPv{(int)subnet.Version}; use the next value of a page of this subnet.");
            }

            return await session.ListAllocationsAsync(query, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The subnet to allocate in or release from, if the caller sees it; cached while its revision holds.</summary>
    private async ValueTask<Subnet> LoadSubnetAsync(IIpamSession session, Guid subnetId, CancellationToken ct) =>
        await SubnetAtAsync(session, subnetId, await session.FindSubnetRevisionAsync(subnetId, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>The subnet at <paramref name="revision"/>, just read (none: the subnet does not exist), if the caller sees it.</summary>
    private async ValueTask<Subnet> SubnetAtAsync(IIpamSession session, Guid subnetId, long? revision, CancellationToken ct)
    {
        if (revision is not { } current)
        {
            throw new SubnetNotFoundException(subnetId);
        }

        if (!cache.TryGetSubnet(subnetId, current, out var subnet)
            && await session.FindSubnetAsync(subnetId, RowLock.None, ct).ConfigureAwait(false) is { } loaded)
        {
            cache.RememberSubnet(session, loaded);
            subnet = loaded;
        }

        return changes.Access.Visible(subnet, subnetId);
    }

    private Allocation NewAllocation(Guid subnetId, IpAddress address, AllocationRequest request, DateTimeOffset now) => new()
    {
        CreatedBy = changes.Actor,
        SubnetId = subnetId,
        Address = address,
        Owner = request.Owner,
        Description = request.Description,
        CreatedAt = now,
        ExpiresAt = request.ExpiresAt,
    };
}
