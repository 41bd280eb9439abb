namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>How a store's group commit batches and paces its write transactions.</summary>
internal sealed record GroupCommitOptions
{
    /// <summary>The most requests one transaction takes.</summary>
    public required int MaxBatchSize { get; init; }

    /// <summary>How many write transactions run at once.</summary>
    public required int MaxConcurrentBatches { get; init; }

    /// <summary>After a transaction of several requests, how long the next may wait for as many (<see cref="BatchCompanions"/>).</summary>
    public required TimeSpan GroupCommitWait { get; init; }

    /// <summary>
    /// Whether the store's calls complete before they return (SQLite's do: the driver's asynchronous methods run
    /// synchronously). A caller that found a transaction slot free then does not run the batch on its own thread:
    /// a commit stuck in the file system would hold that thread, and the caller could not stop waiting at its
    /// deadline. The batch runs on the thread pool instead, at the cost of one hand-off, and the last request a transaction
    /// committed is answered on that thread, which saves another. (Where calls do not block, answering that way measured
    /// slower on PostgreSQL: 7 of 10 paired one-client runs.)
    /// </summary>
    public bool CallsBlock { get; init; }
}
