namespace Ipam.Changes;

/// <summary>
/// Tells readers of the change log in this process that changes were committed, so that a follower waiting
/// for the next change wakes at once instead of at its next poll. Raised after every commit of a unit that
/// recorded changes. Changes committed by other processes on the same database do not raise it: readers that
/// must see those poll as well.
/// </summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource? _next;

    /// <summary>
    /// A task that completes at the next commit of changes after this call. Take it before reading the log,
    /// then wait on it if the read found nothing new: a commit in between has completed it already.
    /// </summary>
    public Task Next
    {
        get
        {
            if (Volatile.Read(ref _next) is { } waiting)
            {
                return waiting.Task;
            }

            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (Interlocked.CompareExchange(ref _next, created, null) ?? created).Task;
        }
    }

    /// <summary>Completes the task of everyone waiting; the next <see cref="Next"/> is a new one. Cheap when nobody waits.</summary>
    public void Raise() => Interlocked.Exchange(ref _next, null)?.TrySetResult();
}
