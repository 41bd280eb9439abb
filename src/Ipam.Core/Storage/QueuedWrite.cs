namespace Ipam.Storage;

/// <summary>
/// A unit of work waiting in a store's write queue, and the caller waiting for its outcome. Stores that
/// commit several callers' work in one transaction run it, then answer it only once that transaction's fate
/// is known.
/// </summary>
public abstract class QueuedWrite(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The subnet whose revision the work reads first, when the caller said so.</summary>
    public Guid? SubnetId { get; init; }

    /// <summary>Times the work has been run; a store that retries transient failures counts them here.</summary>
    public int Attempts { get; set; }

    public abstract ValueTask RunAsync(IIpamSession session);

    /// <summary>Answers the caller with the result of the last run, after the transaction holding it committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

public sealed class QueuedWrite<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
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
