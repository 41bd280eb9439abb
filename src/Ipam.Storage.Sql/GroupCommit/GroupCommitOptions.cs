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
    /// True: several requests first share a transaction without savepoints (<see cref="Isolation.Shared"/>) and
    /// are run again with one each only when a request failed after writing. False: every request always runs
    /// in a savepoint of its own (<see cref="Isolation.Savepoints"/>), which costs a store whose savepoints are
    /// in-process next to nothing.
    /// </summary>
    public required bool ShareBeforeSavepoints { get; init; }
}
