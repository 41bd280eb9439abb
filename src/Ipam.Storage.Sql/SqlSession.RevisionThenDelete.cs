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

        await FlushDeferredAsync().ConfigureAwait(false);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        AddPrelude(batch);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectSubnetRevision, Arguments().Id("id", subnetId)));
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.DeleteAllocation, Arguments().Id("subnet", subnetId).Key("ip", address)));
        long? revision = null;
        var rows = new List<AllocationRow>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                revision = reader.GetInt64(0);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            Func<DbDataReader, AllocationRow>? parse = null;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                parse ??= reader.GetRowParser<AllocationRow>();
                rows.Add(parse(reader));
            }
        }

        Settle(WriteScope.AllocationRows, modifiedBefore, rows.Count);
        if (revision is { } held)
        {
            heldRevisions?.Add(subnetId, held);
        }

        return (revision, rows.Count == 0 ? null : rows[0].ToAllocation(dialect, subnetId, address.Version));
    }
}
