namespace Ipam.Storage;

/// <summary>The remembered outcomes of requests sent with an <c>Idempotency-Key</c>.</summary>
public partial interface IIpamSession
{
    /// <summary>The record of <paramref name="key"/> sent by <paramref name="actor"/> for the subnet, if any.</summary>
    ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(Guid subnetId, string actor, string key, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="FindSubnetRevisionAsync"/> (which share-locks the subnet) and <see cref="FindIdempotencyRecordAsync"/>,
    /// sent together where the database takes both in one round trip. No record when the subnet does not exist.
    /// </summary>
    ValueTask<(long? Revision, IdempotencyRecord? Record)> FindSubnetRevisionAndIdempotencyRecordAsync(
        Guid subnetId, string actor, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a record inserted now is held back to go with the commit (<see cref="InsertIdempotencyRecordAsync"/>).
    /// There a record the key already has fails the transaction, and its requests run again in one that holds nothing
    /// back: a request whose key is most likely new may leave the look for it to that run.
    /// </summary>
    bool HoldsBackIdempotencyRecords { get; }

    /// <summary>Whether this unit has written anything so far, held-back writes included.</summary>
    bool HasWritten { get; }

    /// <summary>
    /// The exception that, thrown from this unit, undoes its transaction and runs its requests again, each with a
    /// savepoint and nothing held back: for a unit that may not answer with what it did so far, nor undo it alone.
    /// </summary>
    Exception RunAgainHoldingNothingBack();

    /// <summary>Inserts a record; it is deleted with its subnet.</summary>
    ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    /// <summary>Deletes the records created before <paramref name="cutoff"/>.</summary>
    ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
