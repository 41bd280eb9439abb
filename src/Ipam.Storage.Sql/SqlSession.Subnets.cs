namespace Ipam.Storage.Sql;

/// <summary>Subnets with their allocation pools.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<Subnet?> FindSubnetAsync(Guid id, RowLock rowLock, CancellationToken cancellationToken)
    {
        var row = await FindByIdAsync<SubnetRow>(Sql.SelectSubnet, id, rowLock, cancellationToken).ConfigureAwait(false);
        return row is null ? null : await WithPoolsAsync(row, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long?> FindSubnetRevisionAsync(Guid id, CancellationToken cancellationToken)
    {
        if (heldRevisions is not null && heldRevisions.TryGetValue(id, out var locked))
        {
            return locked;
        }

        var command = await PreparedAsync(Sql.SelectSubnetRevision, Arguments().Id("id", id)).ConfigureAwait(false);
        try
        {
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long revision)
            {
                return null;
            }

            heldRevisions?.Add(id, revision);
            return revision;
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(SubnetQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = Page(query).Id("pool", query.SubnetPoolId).Text("tenant", query.TenantId).Version("version", query.IpVersion);
        return await QueryAggregatesAsync<SubnetRow, Subnet>(Sql.SelectSubnets, arguments, WithPoolsAsync, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask InsertSubnetAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var arguments = Arguments()
            .Id("id", subnet.Id).Text("cidr", subnet.Cidr.ToString()).Version("version", subnet.Version)
            .Key("network", subnet.Cidr.Network).SmallInt("prefix", subnet.Cidr.PrefixLength)
            .Key("gateway", subnet.Gateway).Text("mode", subnet.Ipv6AddressMode?.ToWire()).Text("name", subnet.Name)
            .Text("tenant", subnet.TenantId).Id("pool", subnet.SubnetPoolId).Time("created", subnet.CreatedAt)
            .BigInt("revision", subnet.Revision).Int("cooldown", subnet.ReuseCooldownSeconds);
        try
        {
            await WriteAsync(WriteScope.OtherRows, Sql.InsertSubnet, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (dialect.IsUniqueViolation(e))
        {
            throw new AlreadyExistsException("subnet", subnet.Id);
        }

        await InsertPoolsAsync(subnet).ConfigureAwait(false);
    }

    public async ValueTask UpdateSubnetAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        // The fields a subnet may change; its CIDR, family, tenant and pool are fixed at creation.
        var arguments = Arguments().Id("id", subnet.Id).Text("name", subnet.Name).Key("gateway", subnet.Gateway)
            .BigInt("revision", subnet.Revision).Int("cooldown", subnet.ReuseCooldownSeconds);
        if (await WriteAsync(WriteScope.OtherRows, Sql.UpdateSubnet, arguments, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new SubnetNotFoundException(subnet.Id);
        }

        // Unchanged pools keep their rows and the usage counters: a rename of a subnet with a million
        // allocations should not recount them.
        var stored = await QueryAsync<RangeRow>(Sql.SelectAllocationPools, Arguments().Id("subnet", subnet.Id), cancellationToken).ConfigureAwait(false);
        if (stored.ConvertAll(r => r.ToRange(subnet.Id, subnet.Version)).SequenceEqual(subnet.AllocationPools.OrderBy(p => p.First)))
        {
            return;
        }

        await WriteAsync(WriteScope.OtherRows, Sql.DeleteAllocationPools, Arguments().Id("subnet", subnet.Id), cancellationToken).ConfigureAwait(false);
        await InsertPoolsAsync(subnet).ConfigureAwait(false);
        await RecountSubnetUsageAsync(subnet.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// The subnet's counters go with it. The ends of its allocations this transaction recorded are appended after a
    /// subnet created again under the same id would start counting: a recount at the commit counts that one's rows.
    /// </remarks>
    public async ValueTask<bool> DeleteSubnetAsync(Guid id, CancellationToken cancellationToken)
    {
        var deleted = await DeleteByIdAsync(Sql.DeleteSubnet, id, cancellationToken).ConfigureAwait(false);
        await RecountSubnetUsageAsync(id, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private ValueTask InsertPoolsAsync(Subnet subnet) => ExecuteForRowsAsync(Sql.InsertAllocationPools, subnet.AllocationPools, pools => Arguments()
        .Column("subnet", dialect.IdType, pools, _ => dialect.IdValue(subnet.Id))
        .Column("first", DbType.Binary, pools, p => p.First.ToKey())
        .Column("last", DbType.Binary, pools, p => p.Last.ToKey()));

    /// <summary>The subnet of <paramref name="row"/> with its pools, read after the row (one reader per connection at a time).</summary>
    private async ValueTask<Subnet> WithPoolsAsync(SubnetRow row, CancellationToken cancellationToken)
    {
        var id = row.ReadId(dialect);
        var ranges = await QueryAsync<RangeRow>(Sql.SelectAllocationPools, Arguments().Id("subnet", id), cancellationToken).ConfigureAwait(false);
        return row.ToSubnet(dialect, ranges.ConvertAll(r => r.ToRange(id, row.Version)));
    }
}
