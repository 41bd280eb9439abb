namespace Ipam.Storage.Postgres;

/// <summary>A queued unit of work, the caller waiting for its outcome, and how often it has been tried.</summary>
internal abstract class PostgresWriteRequest(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Attempts so far; a transient failure sends the request round again until the store's limit.</summary>
    public int Attempts { get; set; }

    public abstract ValueTask RunAsync(PostgresSession session);

    /// <summary>Answers the caller after the transaction holding this request committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

internal sealed class PostgresWriteRequest<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    : PostgresWriteRequest(cancellationToken)
{
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _outcome.Task;

    public override async ValueTask RunAsync(PostgresSession session) =>
        _result = await work(session, CancellationToken).ConfigureAwait(false);

    public override void Complete() => _outcome.TrySetResult(_result!);

    public override void Fail(Exception exception) => _outcome.TrySetException(exception);
}
