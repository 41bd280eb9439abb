namespace Ipam.Storage.Sql;

/// <summary>
/// Subnet usage. Triggers (migration 0008) keep the counters in the statement that inserts or deletes
/// allocations; a pool change and a repair recount them here.
/// </summary>
internal sealed partial class SqlSession
{
    public async ValueTask<(long All, long InPools)> CountSubnetAllocationsAsync(Guid subnetId, CancellationToken cancellationToken) =>
        await QueryFirstAsync<(long, long)>(Sql.CountSubnetAllocations, Arguments().Id("subnet", subnetId), cancellationToken).ConfigureAwait(false);

    public async ValueTask<long> CountSubnetsAsync(CancellationToken cancellationToken) =>
        await QueryFirstAsync<long>(Sql.CountSubnets, Arguments(), cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<UsageMismatch>> FindUsageMismatchesAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync<UsageMismatchRow>(Sql.SelectUsageMismatches, Arguments(), cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToMismatch(dialect));
    }

    public async ValueTask RecountSubnetUsageAsync(Guid subnetId, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, Sql.RecountSubnetUsage, Arguments().Id("subnet", subnetId), cancellationToken).ConfigureAwait(false);
}
