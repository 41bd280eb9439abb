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
    /// How many write transactions this instance runs at once; other instances on the same database run their
    /// own. By default one: every transaction's change-log append and commit, WAL flush included, run one at a
    /// time across the database (the commit-order lock), so a second transaction of the same instance would only
    /// wait for the first one's commit, and the requests queued meanwhile would be split between two smaller
    /// batches instead of sharing one commit. More only pays where transactions spend long on work before
    /// their append.
    /// </summary>
    public int MaxConcurrentBatches { get; set; } = 1;

    /// <summary>
    /// After a transaction of several requests, how long the next may wait for their callers' next requests
    /// before starting without them (never after a lone request, so a single client never waits).
    /// </summary>
    public TimeSpan GroupCommitWait { get; set; } = TimeSpan.FromMicroseconds(300);

    /// <summary>
    /// How long a write transaction waits for a row lock another session holds (PostgreSQL's <c>lock_timeout</c>, set
    /// in each write transaction) before its requests run again alone: a row locked from outside Ipam (a
    /// <c>SELECT … FOR UPDATE</c> left open in psql) then holds up the requests for what it locks, which wait for it
    /// until their deadline, and no others. Below <c>deadlock_timeout</c> (1 s by default), a cycle of waits with another
    /// transaction ends here rather than in PostgreSQL's deadlock check; above it, the check finds it first.
    /// </summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromMilliseconds(500);
}
