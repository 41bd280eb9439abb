namespace Ipam.Storage.Sql;

/// <summary>
/// Subnet usage: the counters plus the net of the change log past them (<see cref="UsageSql"/>), so a commit writes
/// no counter row. A pool change and a repair recount a subnet at the commit (<see cref="Recounts"/>), after the
/// append, so that the count and the position it is counted through both take in the transaction's own changes.
/// </summary>
internal sealed partial class SqlSession
{
    private readonly List<Guid> _recounts = [];

    public IReadOnlyList<Guid> Recounts => _recounts;

    /// <remarks>
    /// A subnet this unit recounts (its pools changed) is counted from its rows: its counters are set at the commit,
    /// and until then they count its allocations against the pools it had.
    /// </remarks>
    public async ValueTask<(long All, long InPools)> CountSubnetAllocationsAsync(Guid subnetId, CancellationToken cancellationToken) =>
        await QueryFirstAsync<(long, long)>(
            _recounts.Contains(subnetId) ? Sql.CountSubnetRows : Sql.CountSubnetAllocations, Arguments().Id("subnet", subnetId), cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyDictionary<Guid, (long All, long InPools)>> CountAllocationsOfSubnetsAsync(
        IReadOnlyList<Guid> subnetIds, CancellationToken cancellationToken)
    {
        var usage = new Dictionary<Guid, (long All, long InPools)>(subnetIds.Count);
        if (subnetIds.Count > 0)
        {
            var rows = await QueryAsync<SubnetUsageRow>(Sql.CountAllocationsOfSubnets, Arguments().Ids("ids", subnetIds), cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                usage[dialect.ReadId(row.SubnetId)] = (row.Allocated, row.InPools);
            }
        }

        foreach (var id in subnetIds)
        {
            if (_recounts.Contains(id) || !usage.ContainsKey(id))
            {
                usage[id] = await CountSubnetAllocationsAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }

        return usage;
    }

    public async ValueTask<long> CountSubnetsAsync(CancellationToken cancellationToken) =>
        await QueryFirstAsync<long>(Sql.CountSubnets, Arguments(), cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<UsageMismatch>> FindUsageMismatchesAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync<UsageMismatchRow>(Sql.SelectUsageMismatches, Arguments(), cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToMismatch(dialect));
    }

    public async ValueTask<long> CountOwnerEntryMismatchesAsync(CancellationToken cancellationToken) =>
        await QueryFirstAsync<long>(Sql.CountOwnerEntryMismatches, Arguments(), cancellationToken).ConfigureAwait(false);

    public async ValueTask RebuildOwnerEntriesAsync(CancellationToken cancellationToken)
    {
        if (Sql.RebuildOwnerEntries is { } rebuild)
        {
            Declare(WriteScope.OtherRows);
            await ExecutePreparedNonQueryAsync(rebuild, Arguments(), cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask RecountSubnetUsageAsync(Guid subnetId, CancellationToken cancellationToken)
    {
        Declare(WriteScope.OtherRows);
        if (!_recounts.Contains(subnetId))
        {
            _recounts.Add(subnetId);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<long> FindUsageFoldLagAsync(CancellationToken cancellationToken) =>
        await QueryFirstAsync<long>(Sql.FindUsageFoldLag, Arguments(), cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> FoldUsageAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (await QueryFirstAsync<long?>(Sql.LockUsageFold, Arguments(), cancellationToken).ConfigureAwait(false) is not { } position)
        {
            return 0;
        }

        Declare(WriteScope.OtherRows);
        var taken = await QueryPreparedAsync<long>(Sql.FoldUsage, Arguments().BigInt("position", position).BigInt("limit", limit), cancellationToken)
            .ConfigureAwait(false);
        return taken.Count == 0 ? 0 : (int)taken[0];
    }

    /// <summary>Recounts <paramref name="subnets"/> (see <see cref="SqlText.RecountSubnetUsage"/>), at the commit, after the append.</summary>
    public ValueTask RecountAsync(IReadOnlyList<Guid> subnets) => ExecuteForRowsAsync(Sql.RecountSubnetUsage, subnets, RecountColumnsOf);

    /// <summary>The parameters of <see cref="SqlText.RecountSubnetUsage"/>.</summary>
    private SqlArguments RecountColumnsOf(IReadOnlyList<Guid> subnets) =>
        Arguments().Column("subnet", dialect.IdType, subnets, id => dialect.IdValue(id));
}
