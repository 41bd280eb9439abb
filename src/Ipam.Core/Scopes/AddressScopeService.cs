namespace Ipam.Scopes;

/// <summary>Address scope use cases: create, read, list and delete (refused while subnet pools reference the scope).</summary>
public sealed class AddressScopeService
{
    private readonly IIpamStore store;
    private readonly ChangeLog changes;
    private readonly TimeProvider time;

    /// <summary>Called by <c>AddIpam</c>, which supplies the change log.</summary>
    internal AddressScopeService(IIpamStore store, ChangeLog changes, TimeProvider time) =>
        (this.store, this.changes, this.time) = (store, changes, time);

    public Task<AddressScope> CreateAsync(CreateAddressScopeCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        changes.Access.CheckWrite();
        var tenant = changes.Access.TenantOf(command.TenantId);
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(command.Name))
        {
            SubnetPoolRules.Add(errors, "name", "name is required.");
        }

        SubnetPoolRules.ThrowIfAny(errors, "The address scope is invalid.");
        var now = time.GetUtcNow();
        var scope = new AddressScope
        {
            Id = Guid.CreateVersion7(now),
            Name = command.Name,
            Version = command.Version,
            TenantId = tenant,
            CreatedAt = now,
        };
        return store.WriteAsync(async (session, ct) =>
        {
            await session.InsertAddressScopeAsync(scope, ct).ConfigureAwait(false);
            changes.AddressScopeChanged(session, ChangeTypes.AddressScopeCreated, null, scope, scope.CreatedAt);
            return scope;
        }, cancellationToken);
    }

    public Task<AddressScope> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async (session, ct) => changes.Access.Visible(await session.FindAddressScopeAsync(id, RowLock.None, ct).ConfigureAwait(false), id), cancellationToken);

    /// <summary>A page of the scopes the caller sees: its tenant's and the shared ones, or only its tenant's when it names it.</summary>
    public Task<IReadOnlyList<AddressScope>> ListAsync(AddressScopeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with
        {
            TenantId = query.TenantId is null ? null : changes.Access.TenantOf(query.TenantId),
            VisibleTo = changes.Access.Tenant,
        };
        return store.ReadAsync((session, ct) => session.ListAddressScopesAsync(query, ct), cancellationToken);
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.DeleteUnreferencedAsync(
            async (session, ct) => changes.Access.Changeable(await session.FindAddressScopeAsync(id, RowLock.ForUpdate, ct).ConfigureAwait(false), id),
            () => new AddressScopeNotFoundException(id),
            (RowCount.SubnetPoolsOf(id), "subnet_pools", (scope, count) =>
                $"Address scope '{scope.Name}' is still referenced by {count} subnet pool(s); delete them or move them to another scope first."),
            async (session, scope, ct) =>
            {
                var deleted = await session.DeleteAddressScopeAsync(id, ct).ConfigureAwait(false);
                changes.AddressScopeChanged(session, ChangeTypes.AddressScopeDeleted, scope, null);
                return deleted;
            },
            cancellationToken);
}
