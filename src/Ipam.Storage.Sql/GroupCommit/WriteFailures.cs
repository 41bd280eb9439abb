namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>What callers of the engine are told when their transaction, rather than their own work, failed.</summary>
internal static class WriteFailures
{
    /// <summary>Work that may have committed: never run again, and the caller told so.</summary>
    public static StoreUnavailableException OutcomeUnknown(Exception cause) =>
        new($"The change may or may not have been made: {cause.Message}", cause) { OutcomeUnknown = true };

    /// <summary>
    /// A failure of the transaction that the store did not turn into a domain error (a transaction the database
    /// rolled back on its own, say): the request's changes are gone, so the database is what failed.
    /// </summary>
    public static Exception OfTransaction(Exception translated) => translated switch
    {
        IpamException or OperationCanceledException => translated,
        _ => new StoreUnavailableException($"The write transaction failed: {translated.Message}", translated),
    };
}
