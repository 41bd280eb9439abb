namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>A queued unit of work returning <typeparamref name="T"/>, and the task its caller awaits.</summary>
internal sealed class QueuedWrite<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    : QueuedWrite(cancellationToken)
{
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _outcome.Task;

    public override async ValueTask RunAsync(IIpamSession session) =>
        _result = await work(session, CancellationToken).ConfigureAwait(false);

    public override void Complete() => _outcome.TrySetResult(_result!);

    public override void Fail(Exception exception) => _outcome.TrySetException(exception);
}
