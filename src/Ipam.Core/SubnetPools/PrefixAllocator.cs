namespace Ipam.SubnetPools;

/// <summary>
/// Chooses the prefix of a subnet allocated from a subnet pool, inside the caller's unit of work: checks the
/// prefix length against the pool's bounds and the tenant's quota, then takes either the best-fit free prefix
/// (see <see cref="PrefixIndex"/>) or the specific prefix asked for. The cached index proposes; the
/// database decides: a proposed prefix is checked against the pool's subnets before the caller inserts it.
/// </summary>
internal sealed class PrefixAllocator(PrefixIndexCache cache)
{
    /// <summary>How often a prefix from a stale index is replaced by one from a freshly rebuilt index.</summary>
    private const int MaxStaleRetries = 3;

    /// <summary>
    /// The prefix for a new subnet of <paramref name="pool"/>, which the caller must have locked
    /// (<see cref="IIpamSession.FindSubnetPoolAsync"/> with <see cref="RowLock.ForUpdate"/>) in <paramref name="session"/>.
    /// </summary>
    public async ValueTask<Cidr> AllocateAsync(
        IIpamSession session, SubnetPool pool, Cidr? specific, int? prefixLength, string? tenantId, CallerAccess access,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(pool);
        var length = specific?.PrefixLength ?? prefixLength ?? pool.DefaultPrefixLength;
        CheckRequest(pool, specific, prefixLength, length);
        await CheckQuotaAsync(session, pool, tenantId, length, cancellationToken).ConfigureAwait(false);
        session.OnRolledBack(() => cache.Invalidate(pool.Id));
        var taken = specific is { } cidr
            ? await TakeSpecificAsync(session, pool, cidr, access, cancellationToken).ConfigureAwait(false)
            : await TakeBestFitAsync(session, pool, length, cancellationToken).ConfigureAwait(false);
        await AdvanceAsync(session, pool, cancellationToken).ConfigureAwait(false);
        return taken;
    }

    /// <summary>
    /// Takes the prefix of a subnet an import brings back: inside the pool and overlapping none of its subnets. The
    /// pool's prefix lengths and quota rule new requests, not the subnets that already hold prefixes, so a plan exported
    /// after they were tightened imports again.
    /// </summary>
    public async ValueTask RestoreAsync(IIpamSession session, SubnetPool pool, Cidr cidr, CallerAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(pool);
        var errors = new Dictionary<string, List<string>>();
        CheckInsidePool(pool, cidr, errors);
        SubnetPoolRules.ThrowIfAny(errors, "The subnet request is invalid.");
        session.OnRolledBack(() => cache.Invalidate(pool.Id));
        await TakeSpecificAsync(session, pool, cidr, access, cancellationToken).ConfigureAwait(false);
        await AdvanceAsync(session, pool, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records in the pool that a subnet deleted in <paramref name="session"/> left it, and returns the subnet's prefix
    /// to this instance's index of the pool once the deletion is durable.
    /// </summary>
    public async ValueTask ReleaseAsync(IIpamSession session, Subnet subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(subnet);
        if (subnet.SubnetPoolId is { } poolId)
        {
            // Also run when the commit's outcome is unknown: the index is rebuilt from what the database holds.
            session.OnRolledBack(() => cache.Invalidate(poolId));
            var generation = await session.AdvancePoolSubnetsAsync(poolId, cancellationToken).ConfigureAwait(false);
            session.OnCommitted(() => cache.Released(poolId, subnet.Cidr, generation));
        }
    }

    /// <summary>
    /// Bumps the pool's subnets version with the subnet taken from the index, and moves the index (changed in place) to
    /// the new generation at once: no one else sees that generation before the commit (the caller holds the pool's row
    /// lock), a rollback drops the index, and a unit that takes several prefixes of one pool (an import) keeps using it.
    /// </summary>
    private async ValueTask AdvanceAsync(IIpamSession session, SubnetPool pool, CancellationToken cancellationToken)
    {
        var generation = await session.AdvancePoolSubnetsAsync(pool.Id, cancellationToken).ConfigureAwait(false);
        cache.Advanced(pool.Id, generation);
    }

    private static void CheckRequest(SubnetPool pool, Cidr? specific, int? prefixLength, int length)
    {
        var errors = new Dictionary<string, List<string>>();
        var field = specific is null ? "prefixlen" : "cidr";
        if (specific is { } cidr)
        {
            if (prefixLength is { } given && given != cidr.PrefixLength)
            {
                SubnetPoolRules.Add(errors, "prefixlen", $"prefixlen {given} contradicts the prefix length of cidr {cidr}.");
            }

            CheckInsidePool(pool, cidr, errors);
        }

        if (length < pool.MinPrefixLength)
        {
            SubnetPoolRules.Add(errors, field,
                $"Unable to allocate subnet with prefix length {length}, minimum allowed prefix is {pool.MinPrefixLength}.");
        }
        else if (length > pool.MaxPrefixLength)
        {
            SubnetPoolRules.Add(errors, field,
                $"Unable to allocate subnet with prefix length {length}, maximum allowed prefix is {pool.MaxPrefixLength}.");
        }

        SubnetPoolRules.ThrowIfAny(errors, "The subnet request is invalid.");
    }

    private static void CheckInsidePool(SubnetPool pool, Cidr cidr, Dictionary<string, List<string>> errors)
    {
        if (cidr.Version != pool.Version)
        {
            SubnetPoolRules.Add(errors, "cidr", $"{cidr} is IPv{(int)cidr.Version}, but subnet pool {pool.Id} is IPv{(int)pool.Version}.");
            SubnetPoolRules.ThrowIfAny(errors, "The subnet request is invalid.");
        }

        if (!pool.PrefixSet.Contains(cidr.Range))
        {
            SubnetPoolRules.Add(errors, "cidr",
                $"{cidr} is not inside the prefixes of subnet pool {pool.Id} ({string.Join(", ", pool.Prefixes)}).");
        }
    }

    private static async ValueTask CheckQuotaAsync(IIpamSession session, SubnetPool pool, string? tenantId, int length, CancellationToken ct)
    {
        if (pool.DefaultQuota is not { } quota)
        {
            return;
        }

        var used = UInt128.Zero;
        foreach (var (held, count) in await session.CountPoolSubnetsByPrefixLengthAsync(pool.Id, tenantId, ct).ConfigureAwait(false))
        {
            used += SubnetPoolRules.QuotaUnits(pool.Version, held) * (UInt128)count;
        }

        var requested = SubnetPoolRules.QuotaUnits(pool.Version, length);
        if (used + requested > (UInt128)quota)
        {
            throw new QuotaExceededException(pool.Id, tenantId, quota, used, requested);
        }
    }

    private async ValueTask<Cidr> TakeBestFitAsync(IIpamSession session, SubnetPool pool, int length, CancellationToken ct)
    {
        var space = await cache.GetAsync(session, pool, ct).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            Cidr? block;
            lock (space.Gate)
            {
                block = space.Index.TakeBestFit(length);
            }

            if (block is not { } candidate)
            {
                // Exact: the index is of the pool's generation, which any subnet deleted since would have moved on.
                throw new PrefixUnavailableException(pool.Id, length);
            }

            if (await session.FindPoolSubnetOverlappingAsync(pool.Id, candidate.Range, ct).ConfigureAwait(false) is null)
            {
                return candidate;
            }

            // The index offered a taken prefix (another instance allocated it): rebuild it from the database.
            if (attempt >= MaxStaleRetries)
            {
                throw new InvalidOperationException($"The prefix index of subnet pool {pool.Id} keeps disagreeing with the database.");
            }

            space = await cache.ReloadAsync(session, pool, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask<Cidr> TakeSpecificAsync(IIpamSession session, SubnetPool pool, Cidr cidr, CallerAccess access, CancellationToken ct)
    {
        if (await session.FindPoolSubnetOverlappingAsync(pool.Id, cidr.Range, ct).ConfigureAwait(false) is { } conflict)
        {
            throw await ConflictDisclosure.SeesPoolSubnetAsync(session, access, pool.Id, conflict, ct).ConfigureAwait(false)
                ? new PrefixUnavailableException(pool.Id, cidr, conflict)
                : new PrefixUnavailableException(pool.Id, cidr);
        }

        // The database says the prefix is free; bring the cached index in line with that.
        var space = await cache.GetAsync(session, pool, ct).ConfigureAwait(false);
        if (!TryTake(space, cidr))
        {
            space = await cache.ReloadAsync(session, pool, ct).ConfigureAwait(false);
            if (!TryTake(space, cidr))
            {
                throw new InvalidOperationException($"{cidr} is free in subnet pool {pool.Id} but missing from its rebuilt prefix index.");
            }
        }

        return cidr;
    }

    private static bool TryTake(PrefixSpace space, Cidr cidr)
    {
        lock (space.Gate)
        {
            return space.Index.TryTake(cidr);
        }
    }
}
