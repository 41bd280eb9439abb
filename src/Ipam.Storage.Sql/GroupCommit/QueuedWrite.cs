using System.Diagnostics;

namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// A unit of work waiting in the group-commit queue, and the caller waiting for its outcome. The engine
/// runs it in a transaction shared with other callers' work, then answers it only once that transaction's fate
/// is known.
/// </summary>
internal abstract class QueuedWrite(CancellationToken cancellationToken)
{
    private const int Waiting = 0;
    private const int Running = 1;
    private const int Abandoned = 2;

    private int _state;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// The subnet whose revision the work reads first, when the caller said so (<see cref="IIpamStore.WriteAsync{T}(Guid, Func{IIpamSession, CancellationToken, ValueTask{T}}, CancellationToken)"/>):
    /// a transaction shared by several requests may lock all their subnets at once.
    /// </summary>
    public Guid? SubnetId { get; init; }

    /// <summary>
    /// The address of <see cref="SubnetId"/> whose row the work writes, when the caller named one
    /// (<see cref="IIpamStore.WriteAsync{T}(Guid, IpAddress, Func{IIpamSession, CancellationToken, ValueTask{T}}, CancellationToken)"/>):
    /// a batch runs such work in the order of subnet and address (<see cref="WriteOrder"/>).
    /// </summary>
    public IpAddress? Address { get; init; }

    /// <summary>Whether the work runs in a transaction of its own, never shared with other callers' work.</summary>
    public bool Alone { get; init; }

    /// <summary>The span of the store call that queued the work, if traced; its batch's span links to it.</summary>
    public ActivityContext Caller { get; init; }

    /// <summary>
    /// Whether a run of the work failed waiting for another transaction's locks (<see cref="IGroupCommitHooks.IsContention"/>):
    /// from then on it runs alone, in a transaction that waits only briefly for locks.
    /// </summary>
    public bool Contended { get; set; }

    /// <summary>Times the work has been run; transient failures send it round again until a limit.</summary>
    public int Attempts { get; set; }

    /// <summary>Marks the work as running; false if its caller stopped waiting first, so that it must never run.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Waiting) != Abandoned;

    /// <summary>Marks the work as waiting again: its last run was rolled back and it goes round again.</summary>
    public void Requeue() => Interlocked.CompareExchange(ref _state, Waiting, Running);

    /// <summary>For a caller that stops waiting: true if the work had not started, and now never will.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) != Running;

    public abstract ValueTask RunAsync(IIpamSession session);

    /// <summary>
    /// Answers the caller with the result of the last run, after the transaction holding it committed. The caller's
    /// code goes on on the thread pool: the engine's thread may still hold a transaction slot.
    /// </summary>
    public abstract void Complete();

    /// <summary>
    /// As <see cref="Complete"/>, but the caller's code goes on on this thread, before this returns: for the engine's
    /// thread once it has let go of its transaction slot, which saves waking another thread for the caller.
    /// </summary>
    public abstract void CompleteHere();

    /// <summary>Answers the caller with <paramref name="exception"/>; its code goes on on the thread pool.</summary>
    public abstract void Fail(Exception exception);
}
