using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sql;

/// <summary>Idempotency records.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(Guid subnetId, string actor, string key, CancellationToken cancellationToken)
    {
        var arguments = Arguments().Id("subnet", subnetId).Text("actor", actor).Text("key", key);
        var row = await QueryFirstAsync<IdempotencyRow>(Sql.SelectIdempotencyRecord, arguments, cancellationToken).ConfigureAwait(false);
        return RecordOf(row, subnetId, actor, key);
    }

    /// <remarks>A release under a key asks both first: one round trip where the store sends a batch at once.</remarks>
    public async ValueTask<(long? Revision, IdempotencyRecord? Record)> FindSubnetRevisionAndIdempotencyRecordAsync(
        Guid subnetId, string actor, string key, CancellationToken cancellationToken)
    {
        if ((heldRevisions is not null && heldRevisions.ContainsKey(subnetId)) || !connection.CanCreateBatch || Sql.SelectHeldIdempotencyRecord is null)
        {
            var found = await FindSubnetRevisionAsync(subnetId, cancellationToken).ConfigureAwait(false);
            return (found, found is null ? null : await FindIdempotencyRecordAsync(subnetId, actor, key, cancellationToken).ConfigureAwait(false));
        }

        await using var batch = await NewBatchAsync().ConfigureAwait(false);
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectSubnetRevision, Arguments().Id("id", subnetId)));
        batch.BatchCommands.Add(BatchCommandOf(batch, Sql.SelectHeldIdempotencyRecord, Arguments().Id("subnet", subnetId).Text("actor", actor).Text("key", key)));
        long? revision;
        IdempotencyRow? row;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            revision = await ReadSubnetRevisionAsync(reader, subnetId, cancellationToken).ConfigureAwait(false);
            row = (await ReadRowsAsync<IdempotencyRow>(reader, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }

        return revision is null ? (null, null) : (revision, RecordOf(row, subnetId, actor, key));
    }

    private IdempotencyRecord? RecordOf(IdempotencyRow? row, Guid subnetId, string actor, string key) =>
        row is null ? null : new IdempotencyRecord(subnetId, actor, key, row.Fingerprint, row.Response, dialect.ReadTime(row.CreatedAt));

    /// <remarks>
    /// Held back, where the transaction holds inserts back (<see cref="DeferredInserts"/>), to go with its next
    /// statement or its commit: a record is the last write of its request.
    /// </remarks>
    public async ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (deferred is not null && HoldsBackIdempotencyRecords)
        {
            Declare(WriteScope.OtherRows);
            deferred.Add(record);
            return;
        }

        await WriteAsync(WriteScope.OtherRows, Sql.InsertIdempotencyRecord, IdempotencyArgumentsOf(record), cancellationToken).ConfigureAwait(false);
    }

    public bool HasWritten => Modified;

    public Exception RunAgainHoldingNothingBack() => new SharedTransactionSpoiledException();

    public bool HoldsBackIdempotencyRecords => deferred is not null && Sql.InsertHeldIdempotencyRecord is not null;

    private SqlArguments IdempotencyArgumentsOf(IdempotencyRecord record) =>
        Arguments().Id("subnet", record.SubnetId).Text("actor", record.Actor).Text("key", record.Key)
            .Text("fingerprint", record.Fingerprint).Text("response", record.Response).Time("created", record.CreatedAt);

    public async ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, Sql.DeleteIdempotencyRecordsBefore, Arguments().Time("cutoff", cutoff), cancellationToken).ConfigureAwait(false);
}
