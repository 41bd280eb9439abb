namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// What a store supplies to <see cref="GroupCommitEngine"/>: its write transactions and how it judges their
/// failures. The engine does the queueing, batching, savepoints, answering and retrying.
/// </summary>
internal interface IGroupCommitHooks
{
    /// <summary>
    /// Begins a write transaction. With <see cref="Isolation.Shared"/>, <paramref name="subnetIds"/> are the
    /// distinct subnets the requests named, which the store may lock (and read) in one statement up front.
    /// A failure here is judged like any other (<see cref="ShouldRetry"/>, <see cref="Translate"/>). A
    /// <paramref name="contended"/> transaction runs one request that lost to another transaction's locks
    /// (<see cref="IsContention"/>): it waits only briefly for a lock, so that it cannot hold another transaction
    /// up for long, and a cycle of waits with one ends before the database has to look for it.
    /// </summary>
    ValueTask<IWriteTransaction> BeginAsync(Isolation isolation, IReadOnlyList<Guid> subnetIds, bool contended);

    /// <summary>
    /// Whether <paramref name="failure"/> came from waiting for another transaction's locks (a deadlock, a lock
    /// wait that ran out). Running the same work again at once would meet the same transaction, still open, in the
    /// same order; so the requests it touched run again each in a <c>contended</c> transaction of its own.
    /// </summary>
    bool IsContention(Exception failure);

    /// <summary>
    /// Learns that a request for <paramref name="subnetId"/>, run in a transaction of its own, failed with
    /// <paramref name="failure"/> from another transaction's locks (<see cref="IsContention"/>). A store that takes it
    /// for a lock another session holds on the subnet's row may hold the subnet's requests back until the row is free
    /// (<see cref="WaitForSubnet"/>), instead of letting each take a transaction to wait for it again.
    /// </summary>
    void LostToLock(Guid subnetId, Exception failure);

    /// <summary>
    /// A wait for <paramref name="subnetId"/>'s row while another session holds it (<see cref="LostToLock"/>), which a
    /// request for the subnet goes through before it queues, away from the transaction slots; it ends once the row is
    /// free or <paramref name="cancellationToken"/> is cancelled, and never fails. Null when no such lock is known.
    /// </summary>
    Task? WaitForSubnet(Guid subnetId, CancellationToken cancellationToken);

    /// <summary>Whether a request that failed with <paramref name="failure"/> on its <paramref name="attempts"/>th run goes round again.</summary>
    bool ShouldRetry(Exception failure, int attempts, CancellationToken cancellationToken);

    /// <summary>How long requests wait before going round again after their <paramref name="attempts"/>th run.</summary>
    TimeSpan Backoff(int attempts);

    /// <summary>The exception a caller sees for a failure that is not retried: driver errors become domain errors.</summary>
    Exception Translate(Exception failure);
}
