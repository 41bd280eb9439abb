using System.Runtime.CompilerServices;

namespace Ipam.SubnetPools;

/// <summary>
/// Subnet pool use cases. Pool changes that touch an address scope lock the scope and check, in the same
/// transaction, that the pool's prefixes overlap no other pool of the scope.
/// </summary>
public sealed partial class SubnetPoolService
{
    public Task<SubnetPool> CreateAsync(CreateSubnetPoolCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        changes.Access.CheckWrite();
        var now = time.GetUtcNow();
        var pool = Build(command, Guid.CreateVersion7(now), changes.Access.TenantOf(command.TenantId), now);
        return store.WriteAsync(async (session, ct) =>
        {
            var placed = pool;
            if (pool is { TenantId: null, AddressScopeId: { } scopeId } &&
                await session.FindAddressScopeAsync(scopeId, RowLock.ForUpdate, ct).ConfigureAwait(false) is { } scope)
            {
                // An admin who names no tenant creates the pool in the scope's (none for a shared scope).
                placed = pool with { TenantId = scope.TenantId };
            }

            await CheckScopeAsync(session, placed, changes.Access, ct).ConfigureAwait(false);
            var created = placed with { Revision = await session.NextRevisionAsync(ct).ConfigureAwait(false) };
            await session.InsertSubnetPoolAsync(created, ct).ConfigureAwait(false);
            changes.SubnetPoolChanged(session, ChangeTypes.SubnetPoolCreated, null, created, created.CreatedAt);
            return created;
        }, cancellationToken);
    }

    /// <summary>A new pool from a create request, checked by the pool rules; the import builds its pools here too.</summary>
    internal static SubnetPool Build(CreateSubnetPoolCommand command, Guid id, string? tenant, DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(command.Name))
        {
            SubnetPoolRules.Add(errors, "name", "name is required.");
        }

        var merged = SubnetPoolRules.MergedPrefixes(command.Prefixes, "prefixes", errors);
        var lengths = merged is { Version: var version }
            ? SubnetPoolRules.PrefixLengths(version, command.MinPrefixLength, command.MaxPrefixLength, command.DefaultPrefixLength, errors)
            : default;
        SubnetPoolRules.CheckQuota(command.DefaultQuota, errors);
        SubnetPoolRules.ThrowIfAny(errors);
        return new SubnetPool
        {
            Id = id,
            Name = command.Name!,
            Version = merged!.Value.Version,
            Prefixes = merged.Value.Merged,
            MinPrefixLength = lengths.Min,
            MaxPrefixLength = lengths.Max,
            DefaultPrefixLength = lengths.Default,
            DefaultQuota = command.DefaultQuota,
            AddressScopeId = command.AddressScopeId,
            TenantId = tenant,
            CreatedAt = now,
        };
    }

    public Task<SubnetPool> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async (session, ct) => changes.Access.Visible(await session.FindSubnetPoolAsync(id, RowLock.None, ct).ConfigureAwait(false), id), cancellationToken);

    /// <summary>A page of the pools the caller sees: its tenant's and the shared ones, or only its tenant's when it names it.</summary>
    public Task<IReadOnlyList<SubnetPool>> ListAsync(SubnetPoolQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with
        {
            TenantId = query.TenantId is null ? null : changes.Access.TenantOf(query.TenantId),
            VisibleTo = changes.Access.Tenant,
        };
        return store.ReadAsync((session, ct) => session.ListSubnetPoolsAsync(query, ct), cancellationToken);
    }

    public Task<SubnetPool> UpdateAsync(Guid id, UpdateSubnetPoolCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return store.WriteAloneAsync(async (session, ct) =>
        {
            var current = changes.Access.Changeable(await session.FindSubnetPoolAsync(id, RowLock.ForUpdate, ct).ConfigureAwait(false), id);
            var updated = Apply(current, command);
            if (updated == current)
            {
                // Nothing to write: a new revision would only make every instance rebuild its prefix index.
                return current;
            }

            updated = updated with { Revision = await session.NextRevisionAsync(ct).ConfigureAwait(false) };
            if (command.Prefixes is not null || command.AddPrefixes is not null || command.RemovePrefixes is not null)
            {
                await CheckRemovedPrefixesUnusedAsync(session, current, updated, ct).ConfigureAwait(false);
            }

            var scopeChanged = command.AddressScopeId.HasValue && command.AddressScopeId.Value != current.AddressScopeId;
            if (scopeChanged || !updated.PrefixSet.Except(current.PrefixSet).IsEmpty)
            {
                await CheckScopeAsync(session, updated, changes.Access, ct).ConfigureAwait(false);
            }

            await session.UpdateSubnetPoolAsync(updated, ct).ConfigureAwait(false);
            changes.SubnetPoolChanged(session, ChangeTypes.SubnetPoolUpdated, current, updated);
            cache.Invalidate(id);
            session.OnCommitted(() => cache.Invalidate(id));
            session.OnRolledBack(() => cache.Invalidate(id));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.DeleteUnreferencedAsync(
            async (session, ct) => changes.Access.Changeable(await session.FindSubnetPoolAsync(id, RowLock.ForUpdate, ct).ConfigureAwait(false), id),
            () => new SubnetPoolNotFoundException(id),
            (RowCount.SubnetsOf(id), "subnets", (pool, count) => $"Subnet pool '{pool.Name}' still has {count} subnet(s) allocated from it; delete them first."),
            async (session, pool, ct) =>
            {
                var deleted = await session.DeleteSubnetPoolAsync(id, ct).ConfigureAwait(false);
                changes.SubnetPoolChanged(session, ChangeTypes.SubnetPoolDeleted, pool, null);
                session.OnCommitted(() => cache.Invalidate(id));
                return deleted;
            },
            cancellationToken);

    /// <summary>
    /// A page of the pool's free space as the minimal list of CIDRs, ascending, read from one consistent snapshot:
    /// at most <paramref name="limit"/> CIDRs that start after <paramref name="after"/> (from the pool's start when null).
    /// Reads the subnets from the page's start only as far as the page needs.
    /// </summary>
    public Task<IReadOnlyList<Cidr>> AvailablePrefixesAsync(Guid id, IpAddress? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return store.ReadAsync(async (session, ct) =>
        {
            var pool = changes.Access.Visible(await session.FindSubnetPoolAsync(id, RowLock.None, ct).ConfigureAwait(false), id);
            if (after is { } cursor && cursor.Version != pool.Version)
            {
                throw ValidationException.InvalidRequest(
                    "cursor", $"'{cursor}' is an IPv{(int)cursor.Version} address; subnet pool {id} is IPv{(int)pool.Version}.");
            }

            if (after is { } last && last.Value == IpFamily.Of(pool.Version).MaxValue)
            {
                return (IReadOnlyList<Cidr>)[];
            }

            var from = new IpAddress(pool.Version, after is { } previous ? previous.Value + 1 : 0);
            var before = after is null ? null : await session.FindPoolSubnetStartingBeforeAsync(id, from, ct).ConfigureAwait(false);
            return await FreePrefixWalk.PageAsync(pool.PrefixSet, from.Value, before, SubnetsFromAsync(session, id, from, limit, ct), limit, ct)
                .ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The pool's subnets from an address on, ascending, read in batches as they are consumed.</summary>
    private static async IAsyncEnumerable<Cidr> SubnetsFromAsync(
        IIpamSession session, Guid poolId, IpAddress from, int batch, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var subnets = await session.ListPoolSubnetCidrsFromAsync(poolId, from, batch, ct).ConfigureAwait(false);
            foreach (var subnet in subnets)
            {
                yield return subnet;
            }

            if (subnets.Count < batch || subnets[^1].First.Value == IpFamily.Of(from.Version).MaxValue)
            {
                yield break;
            }

            from = new IpAddress(from.Version, subnets[^1].First.Value + 1);
        }
    }

    /// <summary>The pool with the command applied, validated as a whole (every problem reported at once); the revision is the caller's.</summary>
    private static SubnetPool Apply(SubnetPool current, UpdateSubnetPoolCommand command)
    {
        var errors = new Dictionary<string, List<string>>();
        var name = command.Name.GetValueOrDefault(current.Name);
        if (string.IsNullOrWhiteSpace(name))
        {
            SubnetPoolRules.Add(errors, "name", "name cannot be empty.");
        }

        var prefixes = current.Prefixes;
        if (command.Prefixes is not null || command.AddPrefixes is not null || command.RemovePrefixes is not null)
        {
            prefixes = NewPrefixes(current, command, errors);
        }

        var lengths = SubnetPoolRules.PrefixLengths(
            current.Version,
            command.MinPrefixLength ?? current.MinPrefixLength,
            command.MaxPrefixLength ?? current.MaxPrefixLength,
            command.DefaultPrefixLength ?? current.DefaultPrefixLength,
            errors);
        var quota = command.DefaultQuota.GetValueOrDefault(current.DefaultQuota);
        SubnetPoolRules.CheckQuota(quota, errors);
        SubnetPoolRules.ThrowIfAny(errors);

        return current with
        {
            Name = name!,
            Prefixes = prefixes,
            MinPrefixLength = lengths.Min,
            MaxPrefixLength = lengths.Max,
            DefaultPrefixLength = lengths.Default,
            DefaultQuota = quota,
            AddressScopeId = command.AddressScopeId.GetValueOrDefault(current.AddressScopeId),
        };
    }

    /// <summary>(prefixes or the current ones) ∪ add_prefixes − remove_prefixes, merged.</summary>
    private static IReadOnlyList<Cidr> NewPrefixes(SubnetPool current, UpdateSubnetPoolCommand command, Dictionary<string, List<string>> errors)
    {
        try
        {
            var set = current.PrefixSet;
            if (command.Prefixes is { } replacement && SameFamily(current, replacement, "prefixes", errors))
            {
                set = Set(current.Version, replacement);
            }

            if (command.AddPrefixes is { } added && SameFamily(current, added, "add_prefixes", errors))
            {
                set = set.Union(Set(current.Version, added));
            }

            if (command.RemovePrefixes is { } removed && SameFamily(current, removed, "remove_prefixes", errors))
            {
                set = set.Except(Set(current.Version, removed));
            }

            if (set.IsEmpty)
            {
                SubnetPoolRules.Add(errors, "prefixes", "A subnet pool needs at least one prefix; the update would leave none.");
            }

            return set.ToCidrs();
        }
        catch (OverflowException)
        {
            SubnetPoolRules.Add(errors, "prefixes", "The prefixes would cover the whole IPv6 address space, which a subnet pool cannot hold.");
            return current.Prefixes;
        }
    }

    private static bool SameFamily(SubnetPool pool, IReadOnlyList<Cidr> prefixes, string field, Dictionary<string, List<string>> errors)
    {
        var foreign = prefixes.Where(p => p.Version != pool.Version || (p.Version == IpVersion.V6 && p.PrefixLength == 0)).ToList();
        if (foreign.Count == 0)
        {
            return true;
        }

        SubnetPoolRules.Add(errors, field, $"Subnet pool {pool.Id} is IPv{(int)pool.Version}; {string.Join(", ", foreign)} cannot be a prefix of it.");
        return false;
    }

    private static RangeSet Set(IpVersion version, IEnumerable<Cidr> prefixes) => RangeSet.Of(version, prefixes.Select(p => p.Range));

    /// <summary>How many of the subnets in the way an <c>in-use</c> refusal lists (<c>subnet_cidrs</c>); <c>references</c> counts them all.</summary>
    private const int MaxBlockingListed = 100;

    /// <summary>Refuses an update whose prefixes no longer cover a subnet allocated from the pool.</summary>
    private static async ValueTask CheckRemovedPrefixesUnusedAsync(IIpamSession session, SubnetPool current, SubnetPool updated, CancellationToken ct)
    {
        var removed = current.PrefixSet.Except(updated.PrefixSet);
        if (removed.IsEmpty)
        {
            return;
        }

        var blocking = (await session.ListPoolSubnetCidrsAsync(current.Id, current.Version, ct).ConfigureAwait(false))
            .Where(subnet => removed.Ranges.Any(range => range.Overlaps(subnet.Range)))
            .ToList();
        if (blocking.Count > 0)
        {
            const int Named = 5;
            var named = string.Join(", ", blocking.Take(Named)) + (blocking.Count > Named ? $" and {blocking.Count - Named} more" : "");
            throw new InUseException(
                $"Prefix space {string.Join(", ", removed.ToCidrs())} cannot be removed from subnet pool '{current.Name}': " +
                $"{blocking.Count} subnet(s) were allocated from it ({named}).",
                new Dictionary<string, object?> { ["subnets"] = blocking.Count },
                new Dictionary<string, object?> { ["subnet_cidrs"] = blocking.Take(MaxBlockingListed).Select(c => c.ToString()).ToArray() });
        }
    }

    /// <summary>
    /// Checks, with the scope locked, that the pool may be in its scope (as it joins it or grows in it): a scope shared
    /// or of the pool's tenant, of the same IP version, where the pool overlaps no other pool.
    /// </summary>
    internal static async ValueTask CheckScopeAsync(IIpamSession session, SubnetPool pool, CallerAccess access, CancellationToken ct)
    {
        if (pool.AddressScopeId is not { } scopeId)
        {
            return;
        }

        var scope = access.Visible(await session.FindAddressScopeAsync(scopeId, RowLock.ForUpdate, ct).ConfigureAwait(false), scopeId);
        if (scope.Version != pool.Version)
        {
            throw ValidationException.InvalidRequest("address_scope_id",
                $"Address scope '{scope.Name}' is IPv{(int)scope.Version}; an IPv{(int)pool.Version} subnet pool cannot join it.");
        }

        TenantPlacement.CheckPool(pool, scope);

        foreach (var prefix in pool.Prefixes)
        {
            var overlap = await session.FindScopePrefixOverlappingAsync(scopeId, pool.Id, prefix.Range, ct).ConfigureAwait(false);
            if (overlap is { } found)
            {
                throw await ConflictDisclosure.SeesPoolAsync(session, access, found.SubnetPoolId, ct).ConfigureAwait(false)
                    ? new PrefixOverlapException(prefix, found.Prefix, found.SubnetPoolId, scopeId)
                    : new PrefixOverlapException(prefix, scopeId);
            }
        }
    }
}
