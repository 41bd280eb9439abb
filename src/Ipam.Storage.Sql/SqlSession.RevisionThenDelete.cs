namespace Ipam.Storage.Sql;

/// <summary>
/// A release's read of its subnet's revision (share-locking the row) and the delete of the allocation, sent together
/// where the driver sends a batch in one round trip (PostgreSQL's): a release in a subnet the instance knows costs
/// that round trip and the commit.
/// </summary>
internal sealed partial class SqlSession
{
    public async ValueTask<(long? Revision, Allocation? Deleted)> FindSubnetRevisionThenDeleteAllocationAsync(
        Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        if ((heldRevisions is not null && heldRevisions.ContainsKey(subnetId)) || !connection.CanCreateBatch)
        {
            var found = await FindSubnetRevisionAsync(subnetId, cancellationToken).ConfigureAwait(false);
            return (found, found is null ? null : await DeleteAllocationAsync(subnetId, address, cancellationToken).ConfigureAwait(false));
        }

        await using var batch = await NewBatchAsync().ConfigureAwait(false);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectSubnetRevision, Arguments().Id("id", subnetId)));
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.DeleteAllocation, Arguments().Id("subnet", subnetId).Key("ip", address)));
        long? revision;
        List<AllocationRow> rows;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            revision = await ReadSubnetRevisionAsync(reader, subnetId, cancellationToken).ConfigureAwait(false);
            rows = await ReadRowsAsync<AllocationRow>(reader, cancellationToken).ConfigureAwait(false);
        }

        Settle(WriteScope.AllocationRows, modifiedBefore, rows.Count);
        return (revision, rows.Count == 0 ? null : rows[0].ToAllocation(dialect, subnetId, address.Version));
    }
}
