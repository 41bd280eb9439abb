namespace Ipam.Storage.Sql;

/// <summary>
/// What a store's transaction runs before anything else, sent with the transaction's first statement instead of
/// in a round trip of its own: ahead of that statement's text where it takes named parameters, otherwise as the first
/// commands of a batch carrying it. On PostgreSQL that is the <c>BEGIN</c> (<paramref name="opening"/>) and, for a
/// write transaction, the <c>SET LOCAL lock_timeout</c> that bounds the transaction's waits for other sessions' row
/// locks (<paramref name="first"/>). A transaction that sends nothing before its commit never sends the lock wait, and
/// one that sends nothing at all never began.
/// </summary>
/// <remarks>
/// The <c>BEGIN</c> is the store's own statement rather than the driver's: the driver sends its own as a simple query
/// ahead of the batch, whose answer the server flushes at once, so that the client would wake up twice for every
/// transaction's first round trip, once for that answer and once for the rest. <paramref name="beforeCommitOrder"/>,
/// when given, goes into the commit's batch ahead of the statement that takes the change log's commit-order lock
/// (<see cref="SqlText.AppendChanges"/>), once <paramref name="first"/> went: that lock is only ever held by a commit
/// under way, and a transaction that has done its work waits for it as it always did.
/// </remarks>
internal sealed class TransactionPrelude(string opening, string? first = null, string? beforeCommitOrder = null)
{
    private readonly string[] _statements = first is null ? [opening] : [opening, first];
    private bool _pending = true;

    /// <summary>Whether the transaction has begun on the server: the prelude went with an earlier statement, or its opening alone with the commit.</summary>
    public bool Sent => !_pending;

    /// <summary>Whether the lock wait went (with the whole prelude), so that the commit lifts it before the commit-order lock.</summary>
    public bool BoundsLockWaits { get; private set; }

    /// <summary>See the remarks; null where the store sends nothing there.</summary>
    public string? BeforeCommitOrder => beforeCommitOrder;

    /// <summary>The prelude's statements, in order, for the statement about to be sent; null once they were taken.</summary>
    public IReadOnlyList<string>? Take() => TakeIfPending(withLockWait: true) ? _statements : null;

    /// <summary>
    /// For a commit that is the first thing the transaction sends: its opening alone (the lock wait would bound
    /// nothing), or null where the prelude already went.
    /// </summary>
    public string? TakeOpening() => TakeIfPending(withLockWait: false) ? opening : null;

    /// <summary><paramref name="sql"/>, preceded by the prelude if it is still to be sent: for a statement with named parameters.</summary>
    public static string Before(TransactionPrelude? prelude, string sql) =>
        prelude?.Take() is { } statements ? $"{string.Join(";\n", statements)};\n{sql}" : sql;

    private bool TakeIfPending(bool withLockWait)
    {
        if (!_pending)
        {
            return false;
        }

        _pending = false;
        BoundsLockWaits = withLockWait && first is not null;
        return true;
    }
}
