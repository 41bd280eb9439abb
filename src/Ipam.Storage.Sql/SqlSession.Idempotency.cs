namespace Ipam.Storage.Sql;

/// <summary>Idempotency records.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(Guid subnetId, string actor, string key, CancellationToken cancellationToken)
    {
        var arguments = Arguments().Id("subnet", subnetId).Text("actor", actor).Text("key", key);
        var row = await QueryFirstAsync<IdempotencyRow>(Sql.SelectIdempotencyRecord, arguments, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new IdempotencyRecord(subnetId, actor, key, row.Fingerprint, row.Response, dialect.ReadTime(row.CreatedAt));
    }

    public async ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var arguments = Arguments().Id("subnet", record.SubnetId).Text("actor", record.Actor).Text("key", record.Key)
            .Text("fingerprint", record.Fingerprint).Text("response", record.Response).Time("created", record.CreatedAt);
        await WriteAsync(WriteScope.OtherRows, Sql.InsertIdempotencyRecord, arguments, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, Sql.DeleteIdempotencyRecordsBefore, Arguments().Time("cutoff", cutoff), cancellationToken).ConfigureAwait(false);
}
