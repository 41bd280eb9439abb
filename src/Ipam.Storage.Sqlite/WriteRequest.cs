namespace Ipam.Storage.Sqlite;

/// <summary>A queued unit of work and the caller waiting for its outcome.</summary>
internal abstract class WriteRequest(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public abstract ValueTask RunAsync(SqliteSession session);

    /// <summary>Answers the caller after the batch holding this request committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

internal sealed class WriteRequest<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    : WriteRequest(cancellationToken)
{
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _outcome.Task;

    public override async ValueTask RunAsync(SqliteSession session) =>
        _result = await work(session, CancellationToken).ConfigureAwait(false);

    public override void Complete() => _outcome.TrySetResult(_result!);

    public override void Fail(Exception exception) => _outcome.TrySetException(exception);
}
