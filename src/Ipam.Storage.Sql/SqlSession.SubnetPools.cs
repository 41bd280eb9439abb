namespace Ipam.Storage.Sql;

/// <summary>Subnet pools with their prefixes, and the subnets allocated from them.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<SubnetPool?> FindSubnetPoolAsync(Guid id, RowLock rowLock, CancellationToken cancellationToken)
    {
        var row = await FindByIdAsync<SubnetPoolRow>(Sql.SelectSubnetPool, id, rowLock, cancellationToken).ConfigureAwait(false);
        return row is null ? null : await WithPrefixesAsync(row, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<SubnetPool>> ListSubnetPoolsAsync(SubnetPoolQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = Page(query)
            .Id("scope", query.AddressScopeId).Text("tenant", query.TenantId).Text("visible", query.VisibleTo).Version("version", query.IpVersion);
        return await QueryAggregatesAsync<SubnetPoolRow, SubnetPool>(Sql.SelectSubnetPools, arguments, WithPrefixesAsync, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsAsync(Guid subnetPoolId, IpVersion version, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync<CidrRow>(Sql.SelectPoolSubnetCidrs, Arguments().Id("pool", subnetPoolId), cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToCidr(version));
    }

    public async ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsFromAsync(Guid subnetPoolId, IpAddress first, int limit, CancellationToken cancellationToken)
    {
        var arguments = Arguments().Id("pool", subnetPoolId).Key("first", first).Int("limit", limit);
        var rows = await QueryAsync<CidrRow>(Sql.SelectPoolSubnetCidrsFrom, arguments, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToCidr(first.Version));
    }

    public async ValueTask<Cidr?> FindPoolSubnetStartingBeforeAsync(Guid subnetPoolId, IpAddress first, CancellationToken cancellationToken)
    {
        var row = await QueryFirstAsync<CidrRow>(
            Sql.SelectPoolSubnetStartingBefore, Arguments().Id("pool", subnetPoolId).Key("first", first), cancellationToken).ConfigureAwait(false);
        return row?.ToCidr(first.Version);
    }

    public async ValueTask<long> AdvancePoolSubnetsAsync(Guid subnetPoolId, CancellationToken cancellationToken)
    {
        Declare(WriteScope.OtherRows);
        var command = await CommandAsync(Sql.AdvancePoolSubnets, Arguments().Id("pool", subnetPoolId), cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<long?>(command).ConfigureAwait(false) ?? throw new SubnetPoolNotFoundException(subnetPoolId);
    }

    public async ValueTask<Cidr?> FindPoolSubnetOverlappingAsync(Guid subnetPoolId, AddressRange range, CancellationToken cancellationToken)
    {
        // A subnet starting inside the range overlaps it.
        var inside = await QueryFirstAsync<CidrRow>(
            Sql.SelectPoolSubnetStartingInside,
            Arguments().Id("pool", subnetPoolId).Key("first", range.First).Key("last", range.Last),
            cancellationToken).ConfigureAwait(false);
        if (inside is not null)
        {
            return inside.ToCidr(range.Version);
        }

        // Otherwise only the last subnet starting before the range can reach into it (pool subnets never overlap).
        var before = await FindPoolSubnetStartingBeforeAsync(subnetPoolId, range.First, cancellationToken).ConfigureAwait(false);
        return before is { } preceding && preceding.Last.Value >= range.First.Value ? preceding : null;
    }

    public async ValueTask<IReadOnlyList<(int PrefixLength, long Count)>> CountPoolSubnetsByPrefixLengthAsync(
        Guid subnetPoolId, string? tenantId, CancellationToken cancellationToken)
    {
        var rows = tenantId is null
            ? await QueryAsync<PrefixLengthCount>(Sql.CountPoolSubnetsByPrefixLengthWithoutTenant, Arguments().Id("pool", subnetPoolId), cancellationToken)
                .ConfigureAwait(false)
            : await QueryAsync<PrefixLengthCount>(Sql.CountPoolSubnetsByPrefixLength, Arguments().Id("pool", subnetPoolId).Text("tenant", tenantId), cancellationToken)
                .ConfigureAwait(false);
        return rows.ConvertAll(r => (r.PrefixLength, r.Count));
    }

    public async ValueTask InsertSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var arguments = PoolArguments(pool).Version("version", pool.Version).Text("tenant", pool.TenantId).Time("created", pool.CreatedAt);
        await WriteAsync(WriteScope.OtherRows, Sql.InsertSubnetPool, arguments, cancellationToken).ConfigureAwait(false);
        await InsertPrefixesAsync(pool).ConfigureAwait(false);
    }

    public async ValueTask UpdateSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (await WriteAsync(WriteScope.OtherRows, Sql.UpdateSubnetPool, PoolArguments(pool), cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new SubnetPoolNotFoundException(pool.Id);
        }

        await WriteAsync(WriteScope.OtherRows, Sql.DeleteSubnetPoolPrefixes, Arguments().Id("pool", pool.Id), cancellationToken).ConfigureAwait(false);
        await InsertPrefixesAsync(pool).ConfigureAwait(false);
    }

    public ValueTask<bool> DeleteSubnetPoolAsync(Guid id, CancellationToken cancellationToken) => DeleteByIdAsync(Sql.DeleteSubnetPool, id, cancellationToken);

    /// <summary>The pool's mutable fields, which both the insert and the update store.</summary>
    private SqlArguments PoolArguments(SubnetPool pool) => Arguments()
        .Id("id", pool.Id).Text("name", pool.Name)
        .SmallInt("default", pool.DefaultPrefixLength).SmallInt("min", pool.MinPrefixLength).SmallInt("max", pool.MaxPrefixLength)
        .BigInt("quota", pool.DefaultQuota).Id("scope", pool.AddressScopeId).BigInt("revision", pool.Revision);

    private ValueTask InsertPrefixesAsync(SubnetPool pool) => ExecuteForRowsAsync(Sql.InsertSubnetPoolPrefixes, pool.Prefixes, prefixes => Arguments()
        .Column("pool", dialect.IdType, prefixes, _ => dialect.IdValue(pool.Id))
        .Column("cidr", DbType.String, prefixes, p => p.ToString())
        .Column("first", DbType.Binary, prefixes, p => p.First.ToKey())
        .Column("last", DbType.Binary, prefixes, p => p.Last.ToKey())
        .Column("length", DbType.Int32, prefixes, p => p.PrefixLength));

    /// <summary>The pool of <paramref name="row"/> with its prefixes, read after the row (one reader per connection at a time).</summary>
    private async ValueTask<SubnetPool> WithPrefixesAsync(SubnetPoolRow row, CancellationToken cancellationToken)
    {
        var prefixes = await QueryAsync<CidrRow>(Sql.SelectSubnetPoolPrefixes, Arguments().Id("pool", dialect.ReadId(row.Id)), cancellationToken)
            .ConfigureAwait(false);
        return row.ToPool(dialect, prefixes.ConvertAll(p => p.ToCidr(row.Version)));
    }
}
