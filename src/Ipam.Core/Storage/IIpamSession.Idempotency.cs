namespace Ipam.Storage;

/// <summary>The remembered outcomes of requests sent with an <c>Idempotency-Key</c>.</summary>
public partial interface IIpamSession
{
    ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(string key, CancellationToken cancellationToken);

    ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    /// <summary>Deletes the records created before <paramref name="cutoff"/>.</summary>
    ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
