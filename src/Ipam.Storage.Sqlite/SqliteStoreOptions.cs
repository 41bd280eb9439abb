namespace Ipam.Storage.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>Path of the database file; created with its directory when missing.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// The most units of work committed together in one transaction. Concurrent requests queue while a
    /// commit is in flight and then share the next one, so throughput grows with concurrency.
    /// </summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// After a batch of several requests, how long the next batch may wait for their callers' next requests
    /// before committing without them (never after a lone request, so a single client never waits).
    /// </summary>
    public TimeSpan GroupCommitWait { get; set; } = TimeSpan.FromMicroseconds(300);

    /// <summary>
    /// FULL makes every commit durable against power loss (the default); NORMAL survives a process crash
    /// but may lose the last commits on power loss.
    /// </summary>
    public bool SynchronousFull { get; set; } = true;

    /// <summary>
    /// How often the background checkpointer copies the WAL into the database file while commits go on.
    /// After five times this long without a commit, it lets the next write start the WAL over; after 300 times
    /// (a minute, by default), it empties the WAL file.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// WAL size, in pages, at which the checkpointer makes the writer start the WAL over (a RESTART
    /// checkpoint, which waits for the commit in flight): the bound on the WAL file under steady writes.
    /// </summary>
    public long WalResetPages { get; set; } = 4096;

    /// <summary>
    /// Whether other processes (the <c>sqlite3</c> shell, a backup with <c>.backup</c>) may open the database while this
    /// store serves it. Off (the default), the store holds the file for its process alone and keeps SQLite's WAL index
    /// in its own memory, which spares every transaction the file-lock system calls that coordinate processes; another
    /// process that opens the file is told the database is locked. On Windows the file is always shared.
    /// </summary>
    public bool OtherProcessesMayRead { get; set; }
}
