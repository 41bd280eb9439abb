namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>A queued unit of work returning <typeparamref name="T"/>, and the task its caller awaits.</summary>
internal sealed class QueuedWrite<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    : QueuedWrite(cancellationToken)
{
    // Continuations run where the outcome is set: Complete and Fail set it from a work item of their own, so that only
    // CompleteHere runs the caller's code on the engine's thread.
    private readonly TaskCompletionSource<T> _outcome = new();

    // The caller's context (its request, and so the caller the change log records), which the engine's drain
    // loop, started by whichever caller came first, would otherwise lend to every unit it runs.
    private readonly ExecutionContext? _callerContext = ExecutionContext.Capture();
    private T? _result;

    // Set once the outcome is decided, which may be a moment before a work item sets it (see OutcomeAsync).
    private volatile bool _decided;

    public Task<T> Task => _outcome.Task;

    /// <summary>
    /// The outcome, or, once the caller's token is cancelled (its deadline passed, or it went away), an answer
    /// at once: cancelled if the work never started (and now never will), outcome unknown if it is under way.
    /// </summary>
    public async Task<T> OutcomeAsync()
    {
        try
        {
            return await _outcome.Task.WaitAsync(CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_decided)
        {
            return await _outcome.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!TryAbandon())
        {
            throw WriteFailures.OutcomeUnknown(new TimeoutException("The caller stopped waiting while the work was running."));
        }
    }

    public override async ValueTask RunAsync(IIpamSession session)
    {
        if (_callerContext is null)
        {
            _result = await work(session, CancellationToken).ConfigureAwait(false);
            return;
        }

        // The work starts inside the caller's context, and each of its awaits resumes in it.
        var running = default(ValueTask<T>);
        ExecutionContext.Run(_callerContext, _ => running = work(session, CancellationToken), null);
        _result = await running.ConfigureAwait(false);
    }

    public override void Complete()
    {
        _decided = true;
        ThreadPool.UnsafeQueueUserWorkItem(static write => write._outcome.TrySetResult(write._result!), this, preferLocal: true);
    }

    public override void CompleteHere()
    {
        _decided = true;
        _outcome.TrySetResult(_result!);
    }

    public override void Fail(Exception exception)
    {
        _decided = true;
        ThreadPool.UnsafeQueueUserWorkItem(static answer => answer.Write._outcome.TrySetException(answer.Exception), (Write: this, Exception: exception), preferLocal: true);
    }
}
