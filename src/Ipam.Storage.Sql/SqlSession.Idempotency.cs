using Ipam.Storage.Sql.Rows;

namespace Ipam.Storage.Sql;

/// <summary>Idempotency records.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(string key, CancellationToken cancellationToken)
    {
        var row = await QueryFirstAsync<IdempotencyRow>(Sql.SelectIdempotencyRecord, Arguments().Text("key", key), cancellationToken).ConfigureAwait(false);
        return row?.ToRecord(dialect, key);
    }

    public async ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var arguments = Arguments()
            .Text("key", record.Key)
            .Text("fingerprint", record.Fingerprint)
            .Text("response", record.Response)
            .Time("created", record.CreatedAt);
        await WriteAsync(WriteScope.OtherRows, Sql.InsertIdempotencyRecord, arguments, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, Sql.DeleteIdempotencyRecordsBefore, Arguments().Time("cutoff", cutoff), cancellationToken).ConfigureAwait(false);
}
