namespace Ipam.Subnets;

/// <summary>Subnet use cases: create, read, update and delete, each validated here and run atomically.</summary>
public sealed partial class SubnetService
{
    public async Task<SubnetView> CreateAsync(CreateSubnetCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        changes.Access.CheckWrite();
        CallerChosenId.Check("id", command.Id);

        // A member's subnets are its tenant's, so the tenant's quota on a pool holds whatever the request names.
        command = command with { TenantId = changes.Access.TenantOf(command.TenantId) };
        if (command.SubnetPoolId is { } poolId)
        {
            return await CreateFromPoolAsync(command, poolId, cancellationToken).ConfigureAwait(false);
        }

        if (command.PrefixLength is not null)
        {
            ThrowIfInvalid(ErrorCodes.InvalidRequest, "prefixlen", ["prefixlen needs a subnet_pool_id to allocate the prefix from."]);
        }

        var cidr = command.Cidr ?? throw ValidationException.InvalidRequest("cidr", "cidr is required (or a subnet_pool_id to allocate one from).");
        var subnet = Build(command, cidr, time.GetUtcNow());
        return await store.WriteAsync(async (session, ct) =>
        {
            var inserted = await InsertAsync(session, subnet, ct).ConfigureAwait(false);
            return new SubnetView(inserted, new SubnetUsage(inserted.PoolSet.Count, 0, 0));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Allocates the subnet's prefix from the pool and inserts the subnet in one unit of work, with the pool
    /// locked, so that concurrent requests on one pool can never receive overlapping prefixes. A pool private to a
    /// tenant takes only that tenant's subnets; one an admin allocates there without naming a tenant is the pool's.
    /// </summary>
    private Task<SubnetView> CreateFromPoolAsync(CreateSubnetCommand command, Guid poolId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (session, ct) =>
        {
            var pool = changes.Access.Visible(await session.FindSubnetPoolAsync(poolId, RowLock.ForUpdate, ct).ConfigureAwait(false), poolId);
            var tenant = command.TenantId ?? pool.TenantId;
            TenantPlacement.CheckSubnet(tenant, pool);
            var specific = command.Cidr ?? GatewayNetwork(command, pool);
            var cidr = await prefixes.AllocateAsync(session, pool, specific, command.PrefixLength, tenant, changes.Access, ct).ConfigureAwait(false);
            var subnet = Build(command with { TenantId = tenant }, cidr, time.GetUtcNow()) with { SubnetPoolId = pool.Id };
            var inserted = await InsertAsync(session, subnet, ct).ConfigureAwait(false);
            return new SubnetView(inserted, new SubnetUsage(inserted.PoolSet.Count, 0, 0));
        }, cancellationToken);

    /// <summary>
    /// The prefix that holds the requested gateway, which Neutron asks the pool for when a subnet names a gateway
    /// but no CIDR: of the requested length, or the pool's default one. Null without a gateway (or when the
    /// length is outside the pool's bounds, which the pool then reports as the <c>prefixlen</c> it is). A gateway of
    /// the other family, or whose prefix is outside the pool, is refused as the gateway it is, not as a CIDR the
    /// caller never sent.
    /// </summary>
    private static Cidr? GatewayNetwork(CreateSubnetCommand command, SubnetPool pool)
    {
        if (command.Gateway is not { HasValue: true, Value: { } gateway })
        {
            return null;
        }

        if (gateway.Version != pool.Version)
        {
            ThrowIfInvalid(ErrorCodes.InvalidGateway, "gateway_ip",
                [$"Gateway {gateway} is an IPv{(int)gateway.Version} address, but subnet pool {pool.Id} is IPv{(int)pool.Version}."]);
        }

        var length = command.PrefixLength ?? pool.DefaultPrefixLength;
        if (length < pool.MinPrefixLength || length > pool.MaxPrefixLength)
        {
            return null;
        }

        var network = Cidr.Containing(gateway, length);
        if (!pool.PrefixSet.Contains(network.Range))
        {
            ThrowIfInvalid(ErrorCodes.InvalidRequest, "gateway_ip",
                [$"Gateway {gateway} asks for {network}, which is not inside the prefixes of subnet pool {pool.Id} ({string.Join(", ", pool.Prefixes)})."]);
        }

        return network;
    }

    /// <summary>
    /// Inserts a new subnet at a new revision and returns it, refusing an id the caller chose that is taken (the
    /// store refuses it too, under a race).
    /// </summary>
    private async ValueTask<Subnet> InsertAsync(IIpamSession session, Subnet subnet, CancellationToken ct)
    {
        if (await session.FindSubnetAsync(subnet.Id, RowLock.None, ct).ConfigureAwait(false) is not null)
        {
            throw new AlreadyExistsException("subnet", subnet.Id);
        }

        subnet = subnet with { Revision = await session.NextRevisionAsync(ct).ConfigureAwait(false) };
        await session.InsertSubnetAsync(subnet, ct).ConfigureAwait(false);
        changes.SubnetChanged(session, ChangeTypes.SubnetCreated, null, subnet, subnet.CreatedAt);
        return subnet;
    }

    public Task<SubnetView> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async (session, ct) =>
        {
            var subnet = changes.Access.Visible(await session.FindSubnetAsync(id, RowLock.None, ct).ConfigureAwait(false), id);
            return new SubnetView(subnet, await UsageAsync(session, subnet, ct).ConfigureAwait(false));
        }, cancellationToken);

    public Task<IReadOnlyList<SubnetView>> ListAsync(SubnetQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { TenantId = changes.Access.TenantOf(query.TenantId) };
        return store.ReadAsync<IReadOnlyList<SubnetView>>(async (session, ct) =>
        {
            var subnets = await session.ListSubnetsAsync(query, ct).ConfigureAwait(false);
            var usage = await session.CountAllocationsOfSubnetsAsync([.. subnets.Select(s => s.Id)], ct).ConfigureAwait(false);
            return [.. subnets.Select(s => new SubnetView(s, SubnetUsage.Of(s, usage[s.Id])))];
        }, cancellationToken);
    }

    public Task<SubnetView> UpdateAsync(Guid id, UpdateSubnetCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        changes.Access.CheckWrite();
        return store.WriteAloneAsync(async (session, ct) =>
        {
            var current = changes.Access.Visible(await session.FindSubnetAsync(id, RowLock.ForUpdate, ct).ConfigureAwait(false), id);
            if (command.ReuseCooldownSeconds is { } cooldown)
            {
                ReuseCooldown.Check(cooldown);
            }

            var gateway = command.Gateway.GetValueOrDefault(current.Gateway);
            if (command.Gateway.HasValue && gateway is { } g && g != current.Gateway)
            {
                ThrowIfInvalid(ErrorCodes.InvalidGateway, "gateway_ip", SubnetRules.GatewayErrors(current.Cidr, g));
                var holder = await session.FindAllocationAsync(id, g, ct).ConfigureAwait(false);
                if (holder is not null)
                {
                    throw new AddressInUseException(g, holder.Owner);
                }
            }

            var pools = current.AllocationPools;
            if (command.AllocationPools is { HasValue: true, Value: { } requested })
            {
                ThrowIfInvalid(ErrorCodes.InvalidAllocationPools, "allocation_pools", SubnetRules.PoolErrors(current.Cidr, gateway, requested));
                pools = Sorted(requested);
            }
            else if (command.AllocationPools.HasValue)
            {
                pools = SubnetRules.DefaultPools(current.Cidr, gateway);
            }
            else if (command.Gateway.HasValue && gateway is { } newGateway && current.PoolSet.Contains(newGateway))
            {
                ThrowIfInvalid(ErrorCodes.InvalidGateway, "gateway_ip",
                    [$"Gateway {newGateway} lies inside the allocation pools; change allocation_pools in the same request to exclude it."]);
            }

            var updated = current with
            {
                Name = command.Name.GetValueOrDefault(current.Name),
                Gateway = gateway,
                AllocationPools = pools,
                ReuseCooldownSeconds = command.ReuseCooldownSeconds ?? current.ReuseCooldownSeconds,
            };
            if (updated == current)
            {
                // Nothing to write: a new revision would only make every instance rebuild its free-space index.
                return new SubnetView(current, await UsageAsync(session, current, ct).ConfigureAwait(false));
            }

            updated = updated with { Revision = await session.NextRevisionAsync(ct).ConfigureAwait(false) };
            await session.UpdateSubnetAsync(updated, ct).ConfigureAwait(false);
            changes.SubnetChanged(session, ChangeTypes.SubnetUpdated, current, updated);
            cache.Invalidate(id);
            session.OnCommitted(() => cache.Invalidate(id));
            session.OnRolledBack(() => cache.Invalidate(id));
            return new SubnetView(updated, await UsageAsync(session, updated, ct).ConfigureAwait(false));
        }, cancellationToken);
    }

    public Task DeleteAsync(Guid id, bool force, CancellationToken cancellationToken = default)
    {
        changes.Access.CheckWrite();
        return store.WriteAloneAsync(async (session, ct) =>
        {
            // Locked first, so that no allocation can slip in between the count and the delete.
            var subnet = changes.Access.Visible(await session.FindSubnetAsync(id, RowLock.ForUpdate, ct).ConfigureAwait(false), id);
            if (!force)
            {
                await session.ThrowIfReferencedAsync(RowCount.AllocationsOf(id), "allocations",
                    count => $"Subnet {subnet.Cidr} still has {count} allocation(s); release them first, or delete with force, which releases them.", ct).ConfigureAwait(false);
            }

            else
            {
                foreach (var allocation in await session.DeleteSubnetAllocationsAsync(id, subnet.Version, ct).ConfigureAwait(false))
                {
                    changes.AllocationEnded(session, subnet, allocation, ReleaseReasons.SubnetDeleted);
                }
            }

            await session.DeleteSubnetAsync(id, ct).ConfigureAwait(false);
            changes.SubnetChanged(session, ChangeTypes.SubnetDeleted, subnet, null);
            cache.Invalidate(id);
            session.OnCommitted(() => cache.Invalidate(id));
            await prefixes.ReleaseAsync(session, subnet, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    internal static async ValueTask<SubnetUsage> UsageAsync(IIpamSession session, Subnet subnet, CancellationToken cancellationToken) =>
        SubnetUsage.Of(subnet, await session.CountSubnetAllocationsAsync(subnet.Id, cancellationToken).ConfigureAwait(false));

    private static Subnet Build(CreateSubnetCommand command, Cidr cidr, DateTimeOffset now)
    {
        if (command.Ipv6AddressMode is { } mode)
        {
            if (cidr.Version != IpVersion.V6)
            {
                ThrowIfInvalid(ErrorCodes.InvalidRequest, "ipv6_address_mode", ["ipv6_address_mode applies only to IPv6 subnets."]);
            }

            SubnetRules.CheckAddressModePrefix(cidr, mode);
        }

        ReuseCooldown.Check(command.ReuseCooldownSeconds);
        var gateway = command.Gateway.HasValue ? command.Gateway.Value : SubnetRules.DefaultGateway(cidr);
        if (gateway is { } g)
        {
            ThrowIfInvalid(ErrorCodes.InvalidGateway, "gateway_ip", SubnetRules.GatewayErrors(cidr, g));
        }

        IReadOnlyList<AddressRange> pools;
        if (command.AllocationPools is { } requested)
        {
            ThrowIfInvalid(ErrorCodes.InvalidAllocationPools, "allocation_pools", SubnetRules.PoolErrors(cidr, gateway, requested));
            pools = Sorted(requested);
        }
        else
        {
            pools = SubnetRules.DefaultPools(cidr, gateway);
        }

        return new Subnet
        {
            Id = command.Id ?? Guid.CreateVersion7(now),
            Cidr = cidr,
            Gateway = gateway,
            AllocationPools = pools,
            Ipv6AddressMode = command.Ipv6AddressMode,
            Name = command.Name,
            TenantId = command.TenantId,
            CreatedAt = now,
            ReuseCooldownSeconds = command.ReuseCooldownSeconds,
        };
    }

    private static AddressRange[] Sorted(IReadOnlyList<AllocationPoolBounds> pools) =>
        [.. pools.Select(p => new AddressRange(p.Start, p.End)).OrderBy(r => r.First)];

    private static void ThrowIfInvalid(string code, string field, IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            var title = code switch
            {
                ErrorCodes.InvalidGateway => "Invalid gateway.",
                ErrorCodes.InvalidAllocationPools => "Invalid allocation pools.",
                _ => "The request is invalid.",
            };
            throw new ValidationException(code, title, new Dictionary<string, string[]> { [field] = [.. errors] });
        }
    }
}
