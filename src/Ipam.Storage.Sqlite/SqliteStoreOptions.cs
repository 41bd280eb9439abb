namespace Ipam.Storage.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>Path of the database file; created with its directory when missing.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The most units of work committed together in one transaction. Concurrent requests queue while a
    /// commit is in flight and then share the next one, so throughput grows with concurrency.
    /// </summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>
    /// FULL makes every commit durable against power loss (the default); NORMAL survives a process crash
    /// but may lose the last commits on power loss.
    /// </summary>
    public bool SynchronousFull { get; init; } = true;
}
