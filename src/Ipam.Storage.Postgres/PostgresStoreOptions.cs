namespace Ipam.Storage.Postgres;

public sealed record PostgresStoreOptions
{
    /// <summary>An Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The most units of work one transaction commits together. Requests that arrive while this instance's
    /// transactions are busy queue and share the next commit, each inside its own savepoint.
    /// </summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// How many write transactions this instance runs at once (by default one per core, at least two). More
    /// overlap commits with work; fewer make bigger batches. Other instances on the same database run their own.
    /// </summary>
    public int MaxConcurrentBatches { get; set; } = Math.Clamp(Environment.ProcessorCount, 2, 8);

    /// <summary>
    /// After a transaction of several requests, how long the next may wait for their callers' next requests
    /// before starting without them (never after a lone request, so a single client never waits).
    /// </summary>
    public TimeSpan GroupCommitWait { get; set; } = TimeSpan.FromMicroseconds(300);
}
