namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// Thrown by <see cref="IWriteTransaction.CommitAsync"/> when the commit may or may not have happened (the
/// connection broke before the database's answer arrived). The engine never runs such work again: it drops
/// what the requests' caches may believe and tells their callers that the outcome is unknown.
/// </summary>
internal sealed class CommitOutcomeUnknownException(Exception cause)
    : Exception($"The commit was sent but its outcome is unknown: {cause.Message}", cause);
