namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// Abandons a transaction shared without savepoints: a request failed after writing (or the failure aborted
/// the transaction), so it cannot be undone alone and its neighbours must run again, isolated.
/// </summary>
internal sealed class SharedTransactionSpoiledException : Exception
{
    public SharedTransactionSpoiledException()
        : base("A request failed after writing in a transaction shared without savepoints.")
    {
    }
}
