namespace Ipam.Storage.Sql;

/// <summary>
/// What a store's write transaction runs before anything else (on PostgreSQL, the <c>SET LOCAL lock_timeout</c> that
/// bounds its waits for other sessions' row locks), sent with the transaction's first statement instead of in a round
/// trip of its own: ahead of that statement's text where it takes named parameters, otherwise as the first command of
/// a batch carrying it. A transaction that sends nothing before its commit never sends it either.
/// </summary>
/// <remarks>
/// <paramref name="beforeCommitOrder"/>, when given, goes into the commit's batch ahead of the statement that takes the
/// change log's commit-order lock (<see cref="SqlText.AppendChanges"/>), once <paramref name="first"/> went: that lock
/// is only ever held by a commit under way, and a transaction that has done its work waits for it as it always did.
/// </remarks>
internal sealed class TransactionPrelude(string first, string? beforeCommitOrder = null)
{
    private string? _pending = first;

    /// <summary>Whether the prelude went with an earlier statement of the transaction.</summary>
    public bool Sent => _pending is null;

    /// <summary>See the remarks; null where the store sends nothing there.</summary>
    public string? BeforeCommitOrder => beforeCommitOrder;

    /// <summary>The prelude, for the statement about to be sent; null once it was taken.</summary>
    public string? Take()
    {
        var sql = _pending;
        _pending = null;
        return sql;
    }

    /// <summary><paramref name="sql"/>, preceded by the prelude if it is still to be sent: for a statement with named parameters.</summary>
    public static string Before(TransactionPrelude? prelude, string sql) => prelude?.Take() is { } first ? $"{first};\n{sql}" : sql;
}
