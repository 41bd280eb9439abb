namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>How the requests of one write transaction are kept apart.</summary>
internal enum Isolation
{
    /// <summary>A single request: the transaction is its own, so a failure just rolls it back.</summary>
    Alone,

    /// <summary>
    /// Several requests share the transaction with no savepoints (the common, cheap case). What one request
    /// locked stays locked for the next, so the store may let them share what they read under those locks.
    /// </summary>
    Shared,

    /// <summary>Several requests, each in its own savepoint, so that a failing one is undone alone.</summary>
    Savepoints,
}
