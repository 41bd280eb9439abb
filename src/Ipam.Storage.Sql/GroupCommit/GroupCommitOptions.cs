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
}
