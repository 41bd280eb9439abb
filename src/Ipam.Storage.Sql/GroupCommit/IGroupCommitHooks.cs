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
    /// A failure here is judged like any other (<see cref="ShouldRetry"/>, <see cref="Translate"/>).
    /// </summary>
    ValueTask<IWriteTransaction> BeginAsync(Isolation isolation, IReadOnlyList<Guid> subnetIds);

    /// <summary>Whether a request that failed with <paramref name="failure"/> on its <paramref name="attempts"/>th run goes round again.</summary>
    bool ShouldRetry(Exception failure, int attempts, CancellationToken cancellationToken);

    /// <summary>How long requests wait before going round again after their <paramref name="attempts"/>th run.</summary>
    TimeSpan Backoff(int attempts);

    /// <summary>The exception a caller sees for a failure that is not retried: driver errors become domain errors.</summary>
    Exception Translate(Exception failure);
}
