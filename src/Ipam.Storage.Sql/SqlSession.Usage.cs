namespace Ipam.Storage.Sql;

/// <summary>
/// Subnet usage. Each allocation row a unit inserts or deletes is noted here (<see cref="UsageDeltas"/>), and
/// the transaction adds them to the counters at its commit, in one statement where the dialect binds arrays
/// (<see cref="SqlText.AddUsage"/>): per transaction, not per statement, so that a group commit of many
/// allocations writes each subnet's counter once. A pool change and a repair recount them here.
/// </summary>
internal sealed partial class SqlSession
{
    private readonly List<UsageDelta> _usage = [];

    public IReadOnlyList<UsageDelta> UsageDeltas => _usage;

    public async ValueTask<(long All, long InPools)> CountSubnetAllocationsAsync(Guid subnetId, CancellationToken cancellationToken) =>
        await QueryFirstAsync<(long, long)>(Sql.CountSubnetAllocations, Arguments().Id("subnet", subnetId), cancellationToken).ConfigureAwait(false);

    public async ValueTask<long> CountSubnetsAsync(CancellationToken cancellationToken) =>
        await QueryFirstAsync<long>(Sql.CountSubnets, Arguments(), cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<UsageMismatch>> FindUsageMismatchesAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync<UsageMismatchRow>(Sql.SelectUsageMismatches, Arguments(), cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToMismatch(dialect));
    }

    public async ValueTask RecountSubnetUsageAsync(Guid subnetId, CancellationToken cancellationToken)
    {
        await WriteAsync(WriteScope.OtherRows, Sql.RecountSubnetUsage, Arguments().Id("subnet", subnetId), cancellationToken).ConfigureAwait(false);
        _usage.Add(UsageDelta.Recount(subnetId));
    }

    /// <summary>Adds <paramref name="deltas"/> (net, see <see cref="UsageDelta.Net"/>) to the counters, for a dialect that binds no arrays: one statement each.</summary>
    public async ValueTask AddUsageAsync(IReadOnlyList<UsageDelta> deltas)
    {
        foreach (var delta in deltas)
        {
            await ExecutePreparedAsync(Sql.AddUsage, UsageColumnsOf([delta])).ConfigureAwait(false);
        }
    }

    private Allocation Deleted(Allocation allocation)
    {
        _usage.Add(UsageDelta.Deleted(allocation.SubnetId, allocation.Address));
        return allocation;
    }

    /// <summary>The parameters of <see cref="SqlText.AddUsage"/>, in column order.</summary>
    private SqlArguments UsageColumnsOf(IReadOnlyList<UsageDelta> deltas) => Arguments()
        .Column("subnet", dialect.IdType, deltas, d => dialect.IdValue(d.SubnetId))
        .Column("ip", DbType.Binary, deltas, d => d.Address!.Value.ToKey())
        .Column("sign", DbType.Int32, deltas, d => d.Sign);
}
