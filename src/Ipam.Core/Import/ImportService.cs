namespace Ipam.Import;

/// <summary>
/// Loads an address plan in one store transaction: every item passes the rules the services apply one at a time,
/// and the first item that fails rolls the whole import back, its error named after the item (<c>subnets[3].cidr</c>).
/// </summary>
public sealed class ImportService
{
    private readonly IIpamStore store;
    private readonly FreeSpaceCache freeSpace;
    private readonly PrefixIndexCache prefixIndexes;
    private readonly PrefixAllocator prefixes;
    private readonly ChangeLog changes;
    private readonly ICallerContext caller;
    private readonly TimeProvider time;

    internal ImportService(
        IIpamStore store, FreeSpaceCache freeSpace, PrefixIndexCache prefixIndexes, PrefixAllocator prefixes, ChangeLog changes,
        ICallerContext caller, TimeProvider time)
    {
        this.store = store;
        this.freeSpace = freeSpace;
        this.prefixIndexes = prefixIndexes;
        this.prefixes = prefixes;
        this.changes = changes;
        this.caller = caller;
        this.time = time;
    }

    public Task<ImportCounts> ImportAsync(ImportDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (caller.Role < CallerRole.Admin)
        {
            throw new ForbiddenException(CallerRole.Admin, "Importing an address plan needs an admin token.");
        }

        if (document.Format != ImportDocument.FormatName || document.Version != ImportDocument.CurrentVersion)
        {
            var found = string.IsNullOrEmpty(document.Format) && document.Version is null or 0
                ? "a document that names no format or version (was it written by 'ipam export'?)"
                : $"'{document.Format}' version {document.Version}";
            throw ValidationException.InvalidRequest("format",
                $"Expected format '{ImportDocument.FormatName}' version {ImportDocument.CurrentVersion}, not {found}.");
        }

        return store.WriteAsync(async (session, ct) =>
        {
            var now = time.GetUtcNow();
            var items = new ImportItems(changes.Access, now);
            await EachAsync(document.AddressScopes, "address_scopes", "id", async scope =>
            {
                var built = items.Scope(scope);
                if (await session.FindAddressScopeAsync(built.Id, RowLock.None, ct).ConfigureAwait(false) is not null)
                {
                    throw new AlreadyExistsException("address scope", built.Id);
                }

                await session.InsertAddressScopeAsync(built, ct).ConfigureAwait(false);
                changes.AddressScopeChanged(session, ChangeTypes.AddressScopeCreated, null, built);
            }).ConfigureAwait(false);
            await EachAsync(document.SubnetPools, "subnet_pools", "prefixes", async pool =>
            {
                var built = items.Pool(pool) with { Revision = await session.NextRevisionAsync(ct).ConfigureAwait(false) };
                if (await session.FindSubnetPoolAsync(built.Id, RowLock.None, ct).ConfigureAwait(false) is not null)
                {
                    throw new AlreadyExistsException("subnet pool", built.Id);
                }

                await SubnetPoolService.CheckScopeAsync(session, built, changes.Access, ct).ConfigureAwait(false);
                await session.InsertSubnetPoolAsync(built, ct).ConfigureAwait(false);
                changes.SubnetPoolChanged(session, ChangeTypes.SubnetPoolCreated, null, built);
                session.OnCommitted(() => prefixIndexes.Invalidate(built.Id));
            }).ConfigureAwait(false);
            var subnets = new Dictionary<Guid, Subnet>();
            await EachAsync(document.Subnets, "subnets", "cidr", async imported =>
            {
                var subnet = await InsertSubnetAsync(session, items.Subnet(imported), ct).ConfigureAwait(false);
                subnets[subnet.Id] = subnet;
            }).ConfigureAwait(false);
            await EachAsync(document.Allocations, "allocations", "ip_address", async imported =>
            {
                var subnetId = imported.SubnetId ?? throw ValidationException.InvalidRequest("subnet_id", "subnet_id is required.");
                var subnet = subnets.GetValueOrDefault(subnetId)
                    ?? changes.Access.Visible(await session.FindSubnetAsync(subnetId, RowLock.ForUpdate, ct).ConfigureAwait(false), subnetId);
                var allocation = items.Allocation(imported, subnet, changes.Actor);
                if (!await session.TryInsertAllocationAsync(allocation, ct).ConfigureAwait(false))
                {
                    throw new AddressInUseException(allocation.Address, (await session.FindAllocationAsync(subnetId, allocation.Address, ct).ConfigureAwait(false))?.Owner);
                }

                changes.AllocationCreated(session, subnet, allocation);
                session.OnCommitted(() => freeSpace.Invalidate(subnetId));
                session.OnRolledBack(() => freeSpace.Invalidate(subnetId));
            }).ConfigureAwait(false);
            return new ImportCounts(document.AddressScopes.Count, document.SubnetPools.Count, document.Subnets.Count, document.Allocations.Count);
        }, cancellationToken);
    }

    private async ValueTask<Subnet> InsertSubnetAsync(IIpamSession session, Subnet subnet, CancellationToken ct)
    {
        if (await session.FindSubnetAsync(subnet.Id, RowLock.None, ct).ConfigureAwait(false) is not null)
        {
            throw new AlreadyExistsException("subnet", subnet.Id);
        }

        if (subnet.SubnetPoolId is { } poolId)
        {
            var pool = changes.Access.Visible(await session.FindSubnetPoolAsync(poolId, RowLock.ForUpdate, ct).ConfigureAwait(false), poolId);
            TenantPlacement.CheckSubnet(subnet.TenantId, pool);
            await prefixes.RestoreAsync(session, pool, subnet.Cidr, changes.Access, ct).ConfigureAwait(false);
        }

        subnet = subnet with { Revision = await session.NextRevisionAsync(ct).ConfigureAwait(false) };
        await session.InsertSubnetAsync(subnet, ct).ConfigureAwait(false);
        changes.SubnetChanged(session, ChangeTypes.SubnetCreated, null, subnet);
        session.OnCommitted(() => freeSpace.Invalidate(subnet.Id));
        return subnet;
    }

    private static async ValueTask EachAsync<T>(List<T?> items, string section, string mainField, Func<T, ValueTask> apply)
        where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw ValidationException.InvalidRequest($"{section}[{i}]", $"{section}[{i}] must be an object, not null.");
            try
            {
                await apply(item).ConfigureAwait(false);
            }
            catch (IpamException e) when (e is not ForbiddenException and not StoreUnavailableException)
            {
                throw Named($"{section}[{i}]", mainField, e);
            }
        }
    }

    private static ValidationException Named(string item, string mainField, IpamException error)
    {
        var errors = error switch
        {
            ValidationException invalid => invalid.Errors.ToDictionary(e => $"{item}.{e.Key}", e => e.Value.Select(m => $"{item}: {m}").ToArray()),
            AlreadyExistsException => new Dictionary<string, string[]> { [$"{item}.id"] = [$"{item}: {error.Message}"] },
            _ => new Dictionary<string, string[]> { [$"{item}.{mainField}"] = [$"{item}: {error.Message}"] },
        };
        return new ValidationException(error.Code, $"{item}: {error.Title}", errors);
    }
}
