namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// One write transaction of a store, as <see cref="GroupCommitEngine"/> drives it. Disposing it without a
/// commit rolls it back (and gives back the connection, if it owns one).
/// </summary>
/// <remarks>
/// The engine keeps one savepoint, which marks where the current request began: it is set before the first
/// request, moved forward after a request that succeeded, and left in place by rolling back to it.
/// </remarks>
internal interface IWriteTransaction : IAsyncDisposable
{
    /// <summary>False once the connection broke: nothing more can run in the transaction.</summary>
    bool IsOpen { get; }

    /// <summary>A new session for one request, on this transaction.</summary>
    SqlSession CreateSession();

    ValueTask SetSavepointAsync();

    /// <summary>Releases the savepoint and sets it again, where the next request begins.</summary>
    ValueTask MoveSavepointAsync();

    ValueTask RollbackToSavepointAsync();

    /// <summary>False when an error has aborted the transaction, so that it can only be rolled back.</summary>
    ValueTask<bool> IsUsableAsync();

    /// <summary>
    /// Appends <paramref name="changes"/> to the change log, last (where transactions commit concurrently, the
    /// append takes the lock that puts the log in commit order, held until the commit ends), recounts the usage of
    /// <paramref name="recounts"/> after it, and commits; then does whatever the store does after each commit.
    /// Returns the position right before the changes appended (they took the ones after it, in order) when the
    /// store knows it without reading (see <see cref="LogTail"/>), otherwise null.
    /// </summary>
    ValueTask<long?> CommitAsync(IReadOnlyList<Change> changes, IReadOnlyList<Guid> recounts);
}
