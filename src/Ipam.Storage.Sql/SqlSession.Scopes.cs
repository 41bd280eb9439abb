namespace Ipam.Storage.Sql;

/// <summary>Address scopes.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<AddressScope?> FindAddressScopeAsync(Guid id, RowLock rowLock, CancellationToken cancellationToken)
    {
        var row = await FindByIdAsync<AddressScopeRow>(Sql.SelectAddressScope, id, rowLock, cancellationToken).ConfigureAwait(false);
        return row?.ToScope(dialect);
    }

    public async ValueTask<IReadOnlyList<AddressScope>> ListAddressScopesAsync(AddressScopeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = Page(query).Version("version", query.IpVersion).Text("tenant", query.TenantId).Text("visible", query.VisibleTo);
        var rows = await QueryAsync<AddressScopeRow>(Sql.SelectAddressScopes, arguments, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToScope(dialect));
    }

    public async ValueTask<(Guid SubnetPoolId, Cidr Prefix)?> FindScopePrefixOverlappingAsync(
        Guid addressScopeId, Guid exceptSubnetPoolId, AddressRange range, CancellationToken cancellationToken)
    {
        var arguments = Arguments().Id("scope", addressScopeId).Id("pool", exceptSubnetPoolId).Key("first", range.First).Key("last", range.Last);
        var row = await QueryFirstAsync<ScopePrefixRow>(Sql.SelectScopePrefixOverlap, arguments, cancellationToken).ConfigureAwait(false);
        return row?.ToPrefix(dialect, range.Version);
    }

    public async ValueTask InsertAddressScopeAsync(AddressScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var arguments = Arguments()
            .Id("id", scope.Id).Text("name", scope.Name).Version("version", scope.Version).Text("tenant", scope.TenantId).Time("created", scope.CreatedAt);
        await WriteAsync(WriteScope.OtherRows, Sql.InsertAddressScope, arguments, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<bool> DeleteAddressScopeAsync(Guid id, CancellationToken cancellationToken) => DeleteByIdAsync(Sql.DeleteAddressScope, id, cancellationToken);
}
